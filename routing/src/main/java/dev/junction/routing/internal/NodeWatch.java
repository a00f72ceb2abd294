package dev.junction.routing.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's checks on a schedule of their own: a platform thread ({@code junction-monitor-<node>}) checks the node,
 * hands the result to the monitor, and waits {@code monitor.interval} (or less, when {@link #wake()} asks for a check
 * now). Each check has its own deadline, {@code monitor.timeout}: a check that has not answered by then is reported
 * as a failure at the deadline, and its answer, when it comes, is reported too. So a blackholed or slow node delays
 * only its own results, never another node's. At most one check per node runs at a time (the probe holds one
 * connection): a check asked for while one is in flight is merged into the next one. Thread-safe.
 *
 * <p>The schedule and the checks run on daemon platform threads, not virtual ones, on purpose: virtual threads are
 * not preempted, so when the application's own virtual threads keep every carrier busy (a saturated service, the
 * very moment routing matters), a virtual monitor thread waits behind them, its check misses {@code monitor.timeout}
 * and a healthy node is declared down. Platform threads get their time slice from the operating system whatever the
 * virtual-thread scheduler's queue holds. There are two per node at most, so their cost does not matter.
 */
final class NodeWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /**
     * One node's check: what it answered, or why it did not.
     *
     * @param observation what the node answered, null when the check failed or got no answer in time
     * @param error       why it failed, safe to log; null when it answered
     * @param nanos       when the result came ({@link System#nanoTime()})
     * @param at          when the result came, as a time of day (the node's {@code checkedAt})
     * @param roundTrip   how long the check's query took, without connecting (nanoseconds); -1 when it failed
     * @param noAnswer    true when it failed for want of an answer (a timeout), not a refusal ({@link Liveness})
     */
    record Check(Probe.@Nullable Observation observation, @Nullable String error, long nanos, Instant at,
                 long roundTrip, boolean noAnswer) {
    }

    private final NodeRuntime node;
    private final Probe probe;
    private final Duration interval;
    private final Duration timeout;
    private final Duration minGap;
    private final BiConsumer<NodeRuntime, Check> sink;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private @Nullable CompletableFuture<Check> inFlight; // guarded by this
    private volatile long lastStartNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    /** When the last conclusive result was delivered; inconclusive checks keep a verdict only so long after it. */
    private volatile long lastConclusiveNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile @Nullable Thread loop;

    /**
     * @param minGap checks asked for with {@link #wake()} start at least this long after the previous check started
     * @param sink   receives every result, on this node's threads, one at a time and in order
     */
    NodeWatch(NodeRuntime node, Probe probe, Duration interval, Duration timeout, Duration minGap,
              BiConsumer<NodeRuntime, Check> sink) {
        this.node = node;
        this.probe = probe;
        this.interval = interval;
        this.timeout = timeout;
        this.minGap = minGap;
        this.sink = sink;
    }

    NodeRuntime node() {
        return node;
    }

    /** Starts the schedule: the first check one interval from now (start-up has just checked every node). */
    void start() {
        loop = Thread.ofPlatform().daemon().name("junction-monitor-" + node.name()).start(this::run);
    }

    /** Asks for a check now; merged with one already asked for, or with the one in flight. Never blocks. */
    void wake() {
        if (!closed && wakePending.compareAndSet(false, true)) {
            wakeUp.release();
        }
    }

    private void run() {
        try {
            boolean woken = wakeUp.tryAcquire(interval.toNanos(), TimeUnit.NANOSECONDS);
            while (!closed) {
                if (woken) {
                    wakePending.set(false);
                    long gap = lastStartNanos + minGap.toNanos() - System.nanoTime();
                    if (gap > 0) {
                        Thread.sleep(Duration.ofNanos(gap));
                    }
                }
                checkAndReport();
                woken = wakeUp.tryAcquire(interval.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            // closing
        } catch (RuntimeException | Error e) {
            if (!closed) {
                log.error("routing monitor: the checks of node '{}' stopped unexpectedly", node.name(), e);
            }
        }
    }

    /**
     * One check, reported at its answer or at its deadline, whichever comes first, and its late answer after. A check
     * without an answer while the node keeps completing the application's statements is inconclusive
     * ({@link Liveness}): it waits on, one timeout at a time, and is not reported if it ends without an answer.
     */
    private void checkAndReport() throws InterruptedException {
        CompletableFuture<Check> check = startCheck();
        long timeoutNanos = timeout.toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        Check onTime = awaitUntilDeadline(check, deadline);
        while (onTime.noAnswer() && answeredLately(timeoutNanos)) {
            node.inconclusiveCheck();
            if (check.isDone()) {
                log.debug("routing monitor: a check of node '{}' got no answer ({}) while the node answers the"
                        + " application; not counted", node.name(), onTime.error());
                return;
            }
            deadline += timeoutNanos;
            onTime = awaitUntilDeadline(check, deadline);
        }
        lastConclusiveNanos = System.nanoTime();
        deliver(onTime);
        if (!check.isDone()) {
            Check late = awaitAnswer(check);
            if (!closed) {
                deliver(late);
            }
        }
    }

    /** {@link Liveness#inconclusive}: the node answered the application within the last timeout. */
    private boolean answeredLately(long timeoutNanos) {
        long now = System.nanoTime();
        return Liveness.inconclusive(node.lastAnswerNanos(), now - timeoutNanos, lastConclusiveNanos, now,
                timeoutNanos);
    }

    private void deliver(Check check) {
        try {
            sink.accept(node, check);
        } catch (RuntimeException e) {
            log.error("routing monitor: a check of node '{}' could not be evaluated; the next one is", node.name(), e);
        }
    }

    /** Starts a check, or returns the one in flight (the probe runs one at a time). */
    synchronized CompletableFuture<Check> startCheck() {
        CompletableFuture<Check> running = inFlight;
        if (running != null && !running.isDone()) {
            return running;
        }
        CompletableFuture<Check> next = new CompletableFuture<>();
        inFlight = next;
        lastStartNanos = System.nanoTime();
        Thread.ofPlatform().daemon().name("junction-check-" + node.name()).start(() -> next.complete(probeOnce()));
        return next;
    }

    private Check probeOnce() {
        long started = System.nanoTime();
        try {
            Probe.Observation o = probe.check();
            long now = System.nanoTime();
            if (!node.systemIdentifierKnown()) {
                node.systemIdentifier(probe.systemIdentifier());
            }
            return new Check(o, null, now, Instant.now(), probe.lastRoundTripNanos(), false);
        } catch (SQLException | RuntimeException e) {
            long now = System.nanoTime();
            return new Check(null, Probe.describe(e), now, Instant.now(), -1,
                    Liveness.noAnswer(e, now - started, timeout.toNanos()));
        }
    }

    /**
     * The check's result if it comes before {@code deadlineNanos}, else a failure dated at the deadline: the node
     * counts as down from then on, whatever its check is still waiting for.
     */
    private Check awaitUntilDeadline(CompletableFuture<Check> check, long deadlineNanos) throws InterruptedException {
        try {
            return check.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Check(null, "SQLState 08006: no answer within monitor.timeout (" + Durations.format(timeout)
                    + ")", System.nanoTime(), Instant.now(), -1, true);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a check completes normally", e);
        }
    }

    private static Check awaitAnswer(CompletableFuture<Check> check) throws InterruptedException {
        try {
            return check.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a check completes normally", e);
        }
    }

    /** Stops the schedule, closes the probe (which ends a check in flight) and waits for the loop to end. */
    @Override
    public void close() {
        closed = true;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
        probe.close();
        try {
            if (t != null && !t.join(Duration.ofSeconds(10))) {
                log.warn("routing monitor: the checks of node '{}' did not stop within 10s", node.name());
            }
            CompletableFuture<Check> last;
            synchronized (this) {
                last = inFlight;
            }
            if (last != null) {
                awaitUntilDeadline(last, System.nanoTime() + timeout.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close(); // again: a check that was connecting when the first close came may have opened a connection
    }
}
