package dev.junction.routing.internal;

import dev.junction.routing.SplitBrainPolicy;
import dev.junction.spi.Role;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every node on one daemon thread ({@code junction-monitor}): role, WAL position, replay lag, timeline. Each
 * node is probed over its own dedicated connection ({@link Probe}). After each round it decides where writes go
 * ({@link PrimaryView}): the configured primary, or with discovered roles the one node out of recovery; when two or
 * more nodes claim the primary role, the {@link SplitBrainPolicy} picks the one on the newest timeline or refuses
 * writes. Replica lag is measured in bytes against the write target's insert position and turned into a staleness
 * estimate with {@link PrimaryHistory}; a replica 0 bytes behind is never lagging. A standby on another timeline
 * than the write target, or one not seen following a new primary since a failover, is marked off its history.
 * Transitions are logged once. A failed write asks for an immediate extra round ({@link #requestPoll()}).
 * Thread-safe: observations are published through {@link NodeRuntime#health(NodeHealth)} and {@link #view()}.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    /** Extra rounds asked for by failing calls are at least this far apart, however many calls fail. */
    static final Duration REPROBE_MIN_GAP = Duration.ofMillis(50);

    private final List<NodeRuntime> nodes;
    private final boolean discover;
    private final @Nullable NodeRuntime configuredPrimary;
    private final SplitBrainPolicy splitBrainPolicy;
    private final Map<NodeRuntime, Probe> probes = new LinkedHashMap<>();
    private final LagPolicy lagPolicy;
    private final PrimaryHistory history;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private final Object pollLock = new Object();
    private final AtomicBoolean pollRequested = new AtomicBoolean();
    private final AtomicLong changes = new AtomicLong();
    private final MonitorLog logs = new MonitorLog();
    private volatile PrimaryView view = PrimaryView.NONE;
    private volatile long lastPollStartNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile boolean closed;
    private volatile Runnable afterRound = () -> { };

    // Confined to the polling thread (under pollLock).
    private final Map<NodeRuntime, Long> confirmedEpoch = new HashMap<>();
    private final Map<NodeRuntime, Integer> lastTimeline = new HashMap<>();
    private @Nullable NodeRuntime epochTarget;
    private @Nullable Integer epochTimeline;
    private long epoch;
    private PrimaryElection.Verdict<NodeRuntime> lastVerdict = new PrimaryElection.Verdict<>(null, List.of(), null);

    /** A monitor for fixed roles that resolves a split brain by the newest timeline. */
    public HealthMonitor(List<NodeRuntime> nodes, Map<NodeRuntime, Probe> probes, LagPolicy lagPolicy,
                         Duration interval) {
        this(nodes, probes, lagPolicy, interval, false, SplitBrainPolicy.NEWEST_TIMELINE);
    }

    /**
     * @param discover    true when the nodes have no configured roles and the primary is found by probing
     * @param splitBrain  what writes do while more than one node claims the primary role
     */
    public HealthMonitor(List<NodeRuntime> nodes, Map<NodeRuntime, Probe> probes, LagPolicy lagPolicy,
                         Duration interval, boolean discover, SplitBrainPolicy splitBrain) {
        this.nodes = List.copyOf(nodes);
        this.probes.putAll(probes);
        this.lagPolicy = lagPolicy;
        this.interval = interval;
        this.discover = discover;
        this.splitBrainPolicy = splitBrain;
        this.configuredPrimary = discover ? null
                : this.nodes.stream().filter(n -> n.config().role() == Role.PRIMARY).findFirst().orElse(null);
        long keepNanos = Math.max(lagPolicy.maxLag().toNanos() * 3, Duration.ofSeconds(30).toNanos());
        this.history = new PrimaryHistory((int) Math.min(100_000, keepNanos / Math.max(1, interval.toNanos()) + 2));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-monitor");
            t.setDaemon(true);
            return t;
        });
        if (configuredPrimary != null) {
            view = new PrimaryView(configuredPrimary, null, List.of(), null, 0);
        }
    }

    /** Starts polling at the interval; call after a first {@link #pollOnce()}. */
    public void start() {
        executor.scheduleWithFixedDelay(this::pollSafely, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Where writes go, as decided after the last round. */
    PrimaryView view() {
        return view;
    }

    /** Runs {@code action} on the monitor thread after every round, once {@link #view()} is updated. */
    public void afterEachRound(Runnable action) {
        this.afterRound = Objects.requireNonNull(action, "action");
    }

    /** Write-target changes (failovers followed) since start. */
    public long primaryChanges() {
        return changes.get();
    }

    /** Times two or more nodes started to claim the primary role at once. */
    public long splitBrainEpisodes() {
        return logs.splitBrainEpisodes();
    }

    /**
     * Asks for a round of checks now, e.g. because a write just lost its connection or hit a standby: a failover
     * is then noticed within a round trip instead of up to {@code monitor.interval} later. Requests made while one
     * is pending are merged, and rounds asked for this way are at least {@link #REPROBE_MIN_GAP} apart. Never
     * blocks.
     */
    public void requestPoll() {
        if (closed || !pollRequested.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastPollStartNanos + REPROBE_MIN_GAP.toNanos() - System.nanoTime());
        try {
            executor.schedule(() -> {
                pollRequested.set(false);
                pollSafely();
            }, wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pollRequested.set(false); // closing
        }
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException | Error e) {
            log.error("routing monitor: poll failed unexpectedly; it continues at the next interval", e);
        }
    }

    /** One node's check: what it answered, or why it did not. */
    private record Check(Probe.@Nullable Observation observation, @Nullable String error, long nanos, Instant at) {
    }

    /**
     * Checks every node once, the current write target first so replicas are compared with a fresh primary
     * position, then decides where writes go and how far behind each standby is.
     */
    public void pollOnce() {
        synchronized (pollLock) {
            lastPollStartNanos = System.nanoTime();
            Map<NodeRuntime, Check> checks = new LinkedHashMap<>();
            NodeRuntime first = discover ? view.target() : configuredPrimary;
            if (first != null) {
                checks.put(first, check(first));
            }
            for (NodeRuntime node : nodes) {
                if (node != first) {
                    checks.put(node, check(node));
                }
            }
            evaluate(checks);
            afterRound.run();
        }
    }

    private Check check(NodeRuntime node) {
        Probe probe = Objects.requireNonNull(probes.get(node));
        Instant at = Instant.now();
        try {
            Probe.Observation o = probe.check();
            long now = System.nanoTime();
            if (!node.systemIdentifierKnown()) {
                node.systemIdentifier(probe.systemIdentifier());
            }
            return new Check(o, null, now, at);
        } catch (SQLException | RuntimeException e) {
            return new Check(null, Probe.describe(e), System.nanoTime(), at);
        }
    }

    private void evaluate(Map<NodeRuntime, Check> checks) {
        List<PrimaryElection.Seen<NodeRuntime>> seen = new ArrayList<>(nodes.size());
        for (NodeRuntime node : nodes) {
            Check c = checks.get(node);
            seen.add(new PrimaryElection.Seen<>(node, node.name(), c.observation(), c.error()));
        }
        PrimaryElection.Verdict<NodeRuntime> verdict = PrimaryElection.decide(seen, configuredPrimary,
                splitBrainPolicy);
        NodeRuntime target = verdict.target();
        Probe.Observation targetSeen = target == null ? null : checks.get(target).observation();
        boolean targetIsPrimary = targetSeen != null && !targetSeen.inRecovery();
        if (targetIsPrimary && verdict.refusal() == null) {
            followTarget(target, targetSeen, checks.get(target).nanos());
        }
        logs.splitBrain(seen.stream().filter(PrimaryElection.Seen::claimsPrimary).toList(), verdict);

        Map<NodeRuntime, NodeHealth> next = new LinkedHashMap<>();
        for (NodeRuntime node : nodes) {
            next.put(node, observe(node, checks.get(node)));
        }
        // The view goes out before the nodes' health: while a promoted standby still shows as a standby it keeps
        // serving reads, whereas the other order would, for a moment, have it neither a replica nor the primary.
        view = new PrimaryView(target, targetIsPrimary && verdict.refusal() == null ? targetSeen.timeline()
                : epochTimeline, verdict.claimants(), verdict.refusal(), epoch);
        for (NodeRuntime node : nodes) {
            publish(node, next.get(node), node == target && targetIsPrimary);
        }
        if (discover) {
            logs.writesRefusedOrBack(lastVerdict, verdict);
        }
        lastVerdict = verdict;
    }

    /** The target answered as a primary and writes may go to it: a new epoch when it or its timeline changed. */
    private void followTarget(NodeRuntime target, Probe.Observation seen, long nanos) {
        Integer tl = seen.timeline();
        if (epochTarget != null && (epochTarget != target || !Objects.equals(epochTimeline, tl))) {
            epoch++;
            changes.incrementAndGet();
            history.clear();
            logs.targetChanged(target, tl, epochTarget, epochTimeline);
        } else if (epochTarget == null && discover) {
            logs.primaryFound(target, tl);
        }
        NodeHealth before = target.health();
        if (before.checked() && !before.up()) {
            // Back after an outage. With the old samples every replica would look as far behind as the outage
            // was long and be excluded until it replayed the restarted primary's first WAL, while the primary's
            // breaker still refuses the fallback: eventual reads failed although both replicas held everything.
            history.clear();
        }
        epochTarget = target;
        epochTimeline = tl;
        history.add(nanos, Objects.requireNonNullElse(seen.lsn(), 0L));
    }

    private NodeHealth observe(NodeRuntime node, Check check) {
        NodeHealth previous = node.health();
        Probe.Observation o = check.observation();
        if (o == null) {
            return NodeHealth.down(previous, check.at(), Objects.requireNonNull(check.error()));
        }
        Role observed = o.inRecovery() ? Role.REPLICA : Role.PRIMARY;
        Long lagBytes = null;
        Duration lag = null;
        boolean excluded = false;
        Integer timeline = o.timeline();
        String offHistory = null;
        if (observed == Role.REPLICA) {
            if (o.lsn() != null) {
                lagBytes = history.bytesBehind(o.lsn());
                lag = history.lag(o.lsn(), check.nanos());
            }
            excluded = lagPolicy.excluded(previous.lagExcluded(), lagBytes, lag);
            Lineage.Judgement j = Lineage.standby(o, epochTimeline, name(epochTarget),
                    confirmedEpoch.getOrDefault(node, 0L) == epoch, lastTimeline.get(node));
            if (j.confirms()) {
                confirmedEpoch.put(node, epoch);
                if (j.timeline() != null) {
                    lastTimeline.put(node, j.timeline());
                }
            }
            if (j.hidden()) {
                logs.hiddenTimelineOnce(node);
            }
            timeline = j.timeline();
            offHistory = j.offHistory();
        }
        Duration replayAge = o.replayAgeMillis() == null ? null : Duration.ofMillis(o.replayAgeMillis());
        return new NodeHealth(true, true, observed, o.lsn(), lagBytes, lag, replayAge, excluded, check.at(),
                null, timeline, offHistory);
    }

    private void publish(NodeRuntime node, NodeHealth next, boolean isTarget) {
        NodeHealth previous = node.health();
        node.health(next);
        if (!next.up()) {
            // A node the monitor cannot reach is as broken as one whose calls fail: open its breaker so the first
            // calls after it returns are trial calls, not a full load.
            node.openBreaker();
        }
        logs.transitions(node, previous, next, isTarget, name(epochTarget));
    }

    private static String name(@Nullable NodeRuntime node) {
        return node == null ? "?" : node.name();
    }

    /** Stops polling, waits for a running poll and closes the probe connections. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("routing monitor did not stop within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (pollLock) {
            probes.values().forEach(Probe::close);
        }
    }
}
