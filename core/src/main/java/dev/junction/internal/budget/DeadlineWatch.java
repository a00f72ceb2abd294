package dev.junction.internal.budget;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cancel of each write statement whose transaction budget ran out, from one daemon thread per Database that
 * looks at the armed statements every {@link #TICK_NANOS} (sooner when a deadline is nearer) while writes run, and
 * parks once none has run for {@link #IDLE_NANOS}. Arming and disarming a statement only add it to and remove it from
 * a concurrent set; the thread is woken only when it had parked.
 *
 * <p>Why not a timer task per statement: on a timer with nothing else queued, every new task is its earliest, so
 * scheduling one woke the timer's thread once per write statement (and disarming it emptied the queue again). At one
 * caller that cost about 35 us of CPU per write, the whole of Junction's write overhead in {@code ./dev bench per-call}
 * (issue 25). A cancel now runs at most one tick after its deadline; the server's {@code statement_timeout} (the
 * budget) stops a single statement that runs past it on its own. Thread-safe.
 */
public final class DeadlineWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadlineWatch.class);

    /** The longest pause between two looks at the armed statements while writes run. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long the thread keeps ticking after the last statement ended before it parks until the next is armed. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Set<Armed> armed = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private final long idleNanos;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean closed;
    private volatile long lastDisarm = System.nanoTime();

    /** One armed cancel: run once, by the watch's thread, when its deadline has passed and it is still armed. */
    public static final class Armed {
        private final long deadlineNanos;
        private final Runnable onDeadline;

        Armed(long deadlineNanos, Runnable onDeadline) {
            this.deadlineNanos = deadlineNanos;
            this.onDeadline = onDeadline;
        }
    }

    private DeadlineWatch(String threadName, long tickNanos, long idleNanos) {
        this.tickNanos = tickNanos;
        this.idleNanos = idleNanos;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    /** A started watch whose thread is named {@code threadName}. */
    public static DeadlineWatch start(String threadName) {
        return start(threadName, TICK_NANOS, IDLE_NANOS);
    }

    /** As {@link #start(String)} with another tick and idle time, for tests. */
    static DeadlineWatch start(String threadName, long tickNanos, long idleNanos) {
        DeadlineWatch watch = new DeadlineWatch(threadName, tickNanos, idleNanos);
        watch.thread.start();
        return watch;
    }

    /** Arms {@code onDeadline} to run once {@link System#nanoTime()} reaches {@code deadlineNanos}. */
    public Armed arm(long deadlineNanos, Runnable onDeadline) {
        Armed a = new Armed(deadlineNanos, onDeadline);
        armed.add(a);
        // After the add: a thread that saw the set empty has set parked first, so one of the two sees the other.
        if (parked) {
            LockSupport.unpark(thread);
        }
        return a;
    }

    /** Disarms {@code a}; its cancel will not run unless it already has. */
    public void disarm(Armed a) {
        armed.remove(a);
        lastDisarm = System.nanoTime();
    }

    /** Whether the thread is parked until the next statement is armed; for tests. */
    boolean isParked() {
        return parked && thread.getState() == Thread.State.WAITING;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            long pause = tickNanos;
            for (Armed a : armed) {
                long left = a.deadlineNanos - now;
                if (left <= 0) {
                    if (armed.remove(a)) {
                        fire(a);
                    }
                } else {
                    pause = Math.min(pause, left);
                }
            }
            if (armed.isEmpty() && now - lastDisarm >= idleNanos) {
                parked = true;
                if (armed.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
            } else {
                LockSupport.parkNanos(this, pause);
            }
        }
    }

    private static void fire(Armed a) {
        try {
            a.onDeadline.run();
        } catch (RuntimeException e) {
            log.warn("cancelling a statement past its transaction budget failed", e);
        }
    }
}
