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
import java.util.stream.Collectors;
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
    private final AtomicLong splitBrainEpisodes = new AtomicLong();
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
    private boolean inSplitBrain;
    private boolean hiddenTimelineWarned;

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
        return splitBrainEpisodes.get();
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
        List<NodeRuntime> claimants = new ArrayList<>();
        for (NodeRuntime node : nodes) {
            Probe.Observation o = checks.get(node).observation();
            if (o != null && !o.inRecovery()) {
                claimants.add(node);
            }
        }
        PrimaryView previous = view;
        NodeRuntime target;
        String refusal = null;
        if (claimants.size() >= 2) {
            NodeRuntime newest = newestTimeline(claimants, checks);
            if (splitBrainPolicy == SplitBrainPolicy.NEWEST_TIMELINE && newest != null) {
                target = discover ? newest : configuredPrimary;
                if (!discover && newest != configuredPrimary) {
                    refusal = "split brain: " + describe(claimants, checks) + " claim the primary role"
                            + " (pg_is_in_recovery() = false), and the newest timeline is on '" + newest.name()
                            + "', not on the configured primary '" + Objects.requireNonNull(configuredPrimary).name()
                            + "'; writes are refused (splitBrain: newest-timeline). Point the primary's URL at the"
                            + " new primary, or configure the nodes without roles so that Junction follows the"
                            + " platform's failover";
                }
            } else {
                target = discover ? null : configuredPrimary;
                refusal = "split brain: " + describe(claimants, checks) + " claim the primary role"
                        + " (pg_is_in_recovery() = false)" + (newest == null && splitBrainPolicy
                        == SplitBrainPolicy.NEWEST_TIMELINE ? " and no single one is on the newest timeline" : "")
                        + "; writes are refused so that they never reach two of them (splitBrain: "
                        + splitBrainPolicy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "). Fence or demote all but one";
            }
        } else if (discover) {
            target = claimants.isEmpty() ? null : claimants.get(0);
            if (target == null) {
                refusal = "no node is in the primary role (" + nodes.stream().map(n -> describeState(n, checks))
                        .collect(Collectors.joining(", ")) + "); a failover may be in progress";
            }
        } else {
            target = configuredPrimary;
        }

        Probe.Observation targetSeen = target == null ? null : checks.get(target).observation();
        boolean targetIsPrimary = targetSeen != null && !targetSeen.inRecovery();
        if (targetIsPrimary && refusal == null) {
            Integer tl = targetSeen.timeline();
            if (epochTarget != null && (epochTarget != target || !Objects.equals(epochTimeline, tl))) {
                epoch++;
                changes.incrementAndGet();
                history.clear();
                log.warn("write target changed: '{}' (timeline {}) is the primary now, was '{}' (timeline {});"
                        + " writes go to '{}'", target.name(), tl, epochTarget.name(), epochTimeline, target.name());
            } else if (epochTarget == null && discover) {
                log.info("primary found: '{}' (timeline {})", target.name(), tl);
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
            history.add(checks.get(target).nanos(), Objects.requireNonNullElse(targetSeen.lsn(), 0L));
        }
        logSplitBrain(claimants, checks, target, refusal);

        Map<NodeRuntime, NodeHealth> next = new LinkedHashMap<>();
        for (NodeRuntime node : nodes) {
            next.put(node, observe(node, checks.get(node)));
        }
        // The view goes out before the nodes' health: while a promoted standby still shows as a standby it keeps
        // serving reads, whereas the other order would, for a moment, have it neither a replica nor the primary.
        view = new PrimaryView(target, targetIsPrimary && refusal == null ? targetSeen.timeline() : epochTimeline,
                claimants, refusal, epoch);
        for (NodeRuntime node : nodes) {
            publish(node, next.get(node), node == target && targetIsPrimary);
        }
        if (discover && (previous.refusal() == null) != (refusal == null)) {
            if (refusal != null && claimants.size() < 2) {
                log.warn("writes are refused: {}", refusal);
            } else if (refusal == null && target != null) {
                log.info("writes go to '{}' again", target.name());
            }
        }
    }

    private NodeHealth observe(NodeRuntime node, Check check) {
        NodeHealth previous = node.health();
        NodeHealth next;
        Probe.Observation o = check.observation();
        if (o == null) {
            next = NodeHealth.down(previous, check.at(), Objects.requireNonNull(check.error()));
        } else {
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
                long confirmed = confirmedEpoch.getOrDefault(node, 0L);
                if (o.timeline() != null) {
                    if (epochTimeline != null && !o.timeline().equals(epochTimeline)) {
                        offHistory = "on timeline " + o.timeline() + " while the primary '" + name(epochTarget)
                                + "' is on timeline " + epochTimeline + ": it follows another history; re-point it"
                                + " at the primary (primary_conninfo) or rebuild it";
                    } else {
                        confirmedEpoch.put(node, epoch);
                        lastTimeline.put(node, o.timeline());
                    }
                } else if (o.receiving()) {
                    // A WAL receiver runs but this role may not see its timeline: assume it follows the primary for
                    // plain reads, but never judge a consistency token reached on it (timeline stays null).
                    confirmedEpoch.put(node, epoch);
                    warnHiddenTimelineOnce(node);
                } else if (confirmed == epoch) {
                    timeline = lastTimeline.get(node); // not streaming right now, but nothing took over since
                } else {
                    offHistory = "not seen following the primary '" + name(epochTarget) + "' (timeline "
                            + epochTimeline + ") since it took over: no WAL receiver runs; re-point it at the"
                            + " primary (primary_conninfo) or rebuild it";
                }
            }
            Duration replayAge = o.replayAgeMillis() == null ? null : Duration.ofMillis(o.replayAgeMillis());
            next = new NodeHealth(true, true, observed, o.lsn(), lagBytes, lag, replayAge, excluded, check.at(),
                    null, timeline, offHistory);
        }
        return next;
    }

    private void publish(NodeRuntime node, NodeHealth next, boolean isTarget) {
        NodeHealth previous = node.health();
        node.health(next);
        if (!next.up()) {
            // A node the monitor cannot reach is as broken as one whose calls fail: open its breaker so the first
            // calls after it returns are trial calls, not a full load.
            node.openBreaker();
        }
        logTransitions(node, previous, next, isTarget);
    }

    private static String name(@Nullable NodeRuntime node) {
        return node == null ? "?" : node.name();
    }

    private void warnHiddenTimelineOnce(NodeRuntime node) {
        if (!hiddenTimelineWarned) {
            hiddenTimelineWarned = true;
            log.warn("standby '{}' does not show the monitor its WAL receiver's timeline (pg_stat_wal_receiver needs"
                    + " pg_read_all_stats); reads after a consistency token therefore go to the primary. Grant"
                    + " pg_monitor (or pg_read_all_stats) to the user Junction connects as (logged once)", node.name());
        }
    }

    private static @Nullable NodeRuntime newestTimeline(List<NodeRuntime> claimants, Map<NodeRuntime, Check> checks) {
        NodeRuntime newest = null;
        int best = Integer.MIN_VALUE;
        boolean tie = false;
        for (NodeRuntime n : claimants) {
            Integer tl = Objects.requireNonNull(checks.get(n).observation()).timeline();
            int value = tl == null ? Integer.MIN_VALUE : tl;
            if (newest == null || value > best) {
                newest = n;
                best = value;
                tie = false;
            } else if (value == best) {
                tie = true;
            }
        }
        return tie || best == Integer.MIN_VALUE ? null : newest;
    }

    private static String describe(List<NodeRuntime> claimants, Map<NodeRuntime, Check> checks) {
        List<String> parts = claimants.stream().map(n -> "'" + n.name() + "' (timeline "
                + Objects.requireNonNull(checks.get(n).observation()).timeline() + ")").toList();
        String joined = parts.size() == 2 ? parts.get(0) + " and " + parts.get(1) : String.join(", ", parts);
        return "nodes " + joined + (parts.size() == 2 ? " both" : " all");
    }

    private static String describeState(NodeRuntime n, Map<NodeRuntime, Check> checks) {
        Check c = checks.get(n);
        if (c.observation() == null) {
            return "'" + n.name() + "' is down: " + c.error();
        }
        return "'" + n.name() + "' is in recovery";
    }

    private void logSplitBrain(List<NodeRuntime> claimants, Map<NodeRuntime, Check> checks,
                               @Nullable NodeRuntime target, @Nullable String refusal) {
        if (claimants.size() >= 2 && !inSplitBrain) {
            inSplitBrain = true;
            splitBrainEpisodes.incrementAndGet();
            if (refusal == null && target != null) {
                log.error("split brain: {} claim the primary role (pg_is_in_recovery() = false); writes go only to"
                        + " '{}', on the newest timeline (splitBrain: newest-timeline)", describe(claimants, checks),
                        target.name());
            } else {
                log.error("{}", refusal);
            }
        } else if (claimants.size() < 2 && inSplitBrain) {
            inSplitBrain = false;
            log.info("split brain over: {}", claimants.isEmpty() ? "no node claims the primary role"
                    : "only '" + claimants.get(0).name() + "' claims the primary role");
        }
    }

    private void logTransitions(NodeRuntime node, NodeHealth before, NodeHealth after, boolean isTarget) {
        String name = node.name();
        if (before.checked() && before.up() && !after.up()) {
            log.warn("node '{}' is down: {}; it gets no new work until a check succeeds", name, after.lastError());
        } else if (!before.up() && after.up() && before.checked()) {
            log.info("node '{}' is up again", name);
        }
        Role configured = node.config().role();
        @Nullable Role seenBefore = before.up() ? before.observedRole() : null;
        if (configured != null) {
            if (after.up() && after.observedRole() != configured && seenBefore != after.observedRole()) {
                if (configured == Role.REPLICA) {
                    log.warn("node '{}' is configured as a replica but is not in recovery (pg_is_in_recovery() ="
                            + " false): it is a primary; no reads are sent to it as a replica until it is a standby"
                            + " again", name);
                } else {
                    log.warn("node '{}' is configured as the primary but is in recovery (a standby); writes are"
                            + " refused until it is a primary again", name);
                }
            } else if (after.up() && after.observedRole() == configured && seenBefore != null
                    && seenBefore != configured) {
                log.info("node '{}' is in its configured role ({}) again", name, configured.tag());
            }
        } else if (after.up() && seenBefore != null && after.observedRole() != seenBefore) {
            log.info("node '{}' is {} now", name, after.observedRole() == Role.PRIMARY
                    ? "out of recovery (pg_is_in_recovery() = false)" : "in recovery (a standby)");
        }
        if (after.up() && after.offHistory() != null && !Objects.equals(before.offHistory(), after.offHistory())
                && (before.offHistory() == null || !before.up())) {
            log.warn("standby '{}' gets no reads: {}", name, after.offHistory());
        } else if (after.up() && after.offHistory() == null && before.offHistory() != null) {
            log.info("standby '{}' follows the primary '{}' again and is used for reads", name, name(epochTarget));
        }
        if (!before.lagExcluded() && after.lagExcluded()) {
            log.warn("replica '{}' excluded for lag: {} bytes, {} behind the primary", name, after.lagBytes(),
                    after.lag() == null ? "?" : Durations.format(after.lag()));
        } else if (before.lagExcluded() && !after.lagExcluded() && after.up() && !isTarget) {
            log.info("replica '{}' caught up and is used again ({} bytes behind)", name, after.lagBytes());
        }
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
