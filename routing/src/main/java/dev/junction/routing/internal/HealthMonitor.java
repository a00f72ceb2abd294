package dev.junction.routing.internal;

import dev.junction.routing.SplitBrainPolicy;
import dev.junction.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Checks every node on a schedule of its own ({@link NodeWatch}: one platform thread per node, each check bounded by
 * {@code monitor.timeout}), so a blackholed or slow node delays only its own results: role, WAL position, replay lag,
 * timeline. Each node is probed over its own dedicated connection ({@link Probe}). Every result, as it arrives, is
 * combined with the other nodes' last results to decide where writes go ({@link PrimaryElection}, published as a
 * {@link PrimaryView}): the configured primary, or with discovered roles the one node out of recovery; when two or
 * more nodes claim the primary role, the {@link SplitBrainPolicy} picks the one on the newest timeline or refuses
 * writes. When the election replaces the write target, the connections lent from the old one are aborted (the
 * failover fence, {@link #fence}), so callers blocked on an unreachable old primary move on at once. Replica lag is measured in bytes against the write target's insert position at its last good check and
 * turned into a staleness estimate with {@link PrimaryHistory}, so it keeps working while the primary's check is
 * stuck; a replica 0 bytes behind is never lagging. A standby on another timeline than the write target, or one not
 * seen following a new primary since a failover, is marked off its history ({@link Lineage}). Transitions are
 * logged once ({@link MonitorLog}). The round trip of every successful check goes into the node's
 * {@link ResponseTimes}, and after each result the replicas are judged against each other ({@link SlowReplicas}):
 * one far slower than its peers is marked slow and reads prefer the others. A failed write asks for an immediate check of every node ({@link #requestPoll()}),
 * which a stuck check of one node does not hold up. Thread-safe: results are evaluated one at a time under one lock,
 * without I/O, and published through {@link NodeRuntime#health(NodeHealth)} and {@link #view()}.
 */
public final class HealthMonitor implements AutoCloseable {
    /** Checks asked for by failing calls are at least this far apart per node, however many calls fail. */
    static final Duration REPROBE_MIN_GAP = Duration.ofMillis(50);

    private final List<NodeRuntime> nodes;
    private final boolean discover;
    private final @Nullable NodeRuntime configuredPrimary;
    private final SplitBrainPolicy splitBrainPolicy;
    private final List<NodeWatch> watches = new ArrayList<>();
    private final LagPolicy lagPolicy;
    private final PrimaryHistory history;
    private final Duration timeout;
    private final Object decideLock = new Object();
    private final AtomicLong changes = new AtomicLong();
    private final MonitorLog logs = new MonitorLog();
    private volatile PrimaryView view = PrimaryView.NONE;
    private volatile boolean closed;
    private volatile Runnable afterRound = () -> { };
    private final double slowFactor;

    // Guarded by decideLock.
    private final Map<NodeRuntime, NodeWatch.Check> latest = new HashMap<>();
    private final Map<NodeRuntime, Long> confirmedEpoch = new HashMap<>();
    private final Map<NodeRuntime, Integer> lastTimeline = new HashMap<>();
    private PrimaryElection.Verdict<NodeRuntime> lastVerdict = new PrimaryElection.Verdict<>(null, List.of(), null);
    private @Nullable NodeRuntime epochTarget;
    private @Nullable Integer epochTimeline;
    private long epoch;

    /**
     * @param interval    how long each node's schedule waits between its checks
     * @param timeout     how long a check may go unanswered before the node counts as down
     * @param discover    true when the nodes have no configured roles and the primary is found by probing
     * @param splitBrain  what writes do while more than one node claims the primary role
     */
    public HealthMonitor(List<NodeRuntime> nodes, Map<NodeRuntime, Probe> probes, LagPolicy lagPolicy,
                         Duration interval, Duration timeout, boolean discover, SplitBrainPolicy splitBrain) {
        this(nodes, probes, lagPolicy, interval, timeout, discover, splitBrain, 0);
    }

    /**
     * @param slowFactor a replica whose checks take more than this many times its peers' is slow
     *                   ({@link SlowReplicas}); 0 never
     */
    public HealthMonitor(List<NodeRuntime> nodes, Map<NodeRuntime, Probe> probes, LagPolicy lagPolicy,
                         Duration interval, Duration timeout, boolean discover, SplitBrainPolicy splitBrain,
                         double slowFactor) {
        this.slowFactor = slowFactor;
        this.nodes = List.copyOf(nodes);
        this.lagPolicy = lagPolicy;
        this.timeout = timeout;
        this.discover = discover;
        this.splitBrainPolicy = splitBrain;
        this.configuredPrimary = discover ? null
                : this.nodes.stream().filter(n -> n.config().role() == Role.PRIMARY).findFirst().orElse(null);
        long keepNanos = Math.max(lagPolicy.maxLag().toNanos() * 3, Duration.ofSeconds(30).toNanos());
        this.history = new PrimaryHistory((int) Math.min(100_000, keepNanos / Math.max(1, interval.toNanos()) + 2));
        for (NodeRuntime node : this.nodes) {
            watches.add(new NodeWatch(node, Objects.requireNonNull(probes.get(node), "probe"), interval, timeout,
                    REPROBE_MIN_GAP, this::arrived));
        }
        if (configuredPrimary != null) {
            view = new PrimaryView(configuredPrimary, null, List.of(), null, 0);
        }
    }

    /** Starts every node's schedule; call after a first {@link #pollOnce()}. */
    public void start() {
        watches.forEach(NodeWatch::start);
    }

    /** Where writes go, as decided after the last result. */
    PrimaryView view() {
        return view;
    }

    /** Runs {@code action} after every evaluated result, once {@link #view()} is updated, under the monitor's lock. */
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
     * Asks for a check of every node now, e.g. because a write just lost its connection or hit a standby: a failover
     * is then noticed within a round trip instead of up to {@code monitor.interval} later. A node whose check is in
     * flight (stuck on a blackholed node, say) gets its next check when that one ends; the others are checked at
     * once. Requests made while one is pending are merged, and checks asked for this way are at least
     * {@link #REPROBE_MIN_GAP} apart per node. Never blocks.
     */
    public void requestPoll() {
        if (!closed) {
            watches.forEach(NodeWatch::wake);
        }
    }

    /**
     * Checks every node once, all at the same time, waits for every answer (each bounded by the probe's own connect,
     * login and socket timeouts, not by the check deadline: a slow first connection at start-up must not open a
     * healthy node's breaker), then decides where writes go and how far behind each standby is; for start-up.
     */
    public void pollOnce() {
        List<CompletableFuture<NodeWatch.Check>> running = new ArrayList<>();
        watches.forEach(w -> running.add(w.startCheck()));
        Map<NodeRuntime, NodeWatch.Check> results = new LinkedHashMap<>();
        for (int i = 0; i < watches.size(); i++) {
            results.put(watches.get(i).node(), running.get(i).join());
        }
        synchronized (decideLock) {
            latest.putAll(results);
            evaluate(results.keySet());
            results.forEach(HealthMonitor::recordRoundTrip);
            judgeSlowness(System.nanoTime());
            afterRound.run();
        }
    }

    /** One node's result, from its schedule. */
    private void arrived(NodeRuntime node, NodeWatch.Check check) {
        if (closed) {
            return;
        }
        synchronized (decideLock) {
            latest.put(node, check);
            long epochBefore = epoch;
            evaluate(Set.of(node));
            recordRoundTrip(node, check);
            judgeSlowness(check.nanos());
            afterRound.run();
            if (epoch != epochBefore) {
                // The standbys are judged against the new target at their next results: have them come now.
                requestPoll();
            }
        }
    }

    /**
     * Decides where writes go from every node's last result, then judges the nodes whose results just {@code arrived}
     * (the write target's first, so that standbys are compared with its newest position).
     */
    private void evaluate(Set<NodeRuntime> arrived) {
        List<PrimaryElection.Seen<NodeRuntime>> seen = new ArrayList<>(nodes.size());
        for (NodeRuntime node : nodes) {
            NodeWatch.Check c = latest.get(node);
            seen.add(c == null ? new PrimaryElection.Seen<>(node, node.name(), null, "not checked yet")
                    : new PrimaryElection.Seen<>(node, node.name(), c.observation(), c.error()));
        }
        PrimaryElection.Verdict<NodeRuntime> verdict = PrimaryElection.decide(seen, configuredPrimary,
                splitBrainPolicy);
        NodeRuntime target = verdict.target();
        NodeWatch.Check targetCheck = target == null ? null : latest.get(target);
        Probe.Observation targetSeen = targetCheck == null ? null : targetCheck.observation();
        boolean targetIsPrimary = targetSeen != null && !targetSeen.inRecovery();
        if (targetIsPrimary && verdict.refusal() == null) {
            followTarget(target, targetSeen, targetCheck.nanos(), arrived.contains(target));
        }
        logs.splitBrain(seen.stream().filter(PrimaryElection.Seen::claimsPrimary).toList(), verdict);

        Map<NodeRuntime, NodeHealth> next = new LinkedHashMap<>();
        for (NodeRuntime node : nodes) {
            if (arrived.contains(node)) {
                next.put(node, observe(node, Objects.requireNonNull(latest.get(node))));
            }
        }
        // The view goes out before the nodes' health: while a promoted standby still shows as a standby it keeps
        // serving reads, whereas the other order would, for a moment, have it neither a replica nor the primary.
        view = new PrimaryView(target, targetIsPrimary && verdict.refusal() == null ? targetSeen.timeline()
                : epochTimeline, verdict.claimants(), verdict.refusal(), epoch);
        next.forEach((node, health) -> publish(node, health, node == target && targetIsPrimary));
        if (discover) {
            logs.writesRefusedOrBack(lastVerdict, verdict);
        }
        lastVerdict = verdict;
    }

    private static void recordRoundTrip(NodeRuntime node, NodeWatch.Check check) {
        if (check.observation() != null && check.roundTrip() >= 0) {
            node.responseTimes().record(check.roundTrip(), check.nanos());
        }
    }

    /**
     * Which replicas are slow next to their peers now ({@link SlowReplicas}), from every replica's response times;
     * only nodes up and serving as replicas are compared, and any other node is not slow.
     */
    private void judgeSlowness(long now) {
        List<SlowReplicas.Seen> replicas = new ArrayList<>(nodes.size());
        for (NodeRuntime node : nodes) {
            NodeHealth h = node.health();
            if (h.up() && h.observedRole() == Role.REPLICA) {
                replicas.add(new SlowReplicas.Seen(node.name(), node.responseTimes().medianNanos(now), node.slow()));
            }
        }
        Set<String> slow = SlowReplicas.judge(replicas, slowFactor);
        for (NodeRuntime node : nodes) {
            boolean verdict = slow.contains(node.name());
            if (verdict != node.slow()) {
                node.slow(verdict);
                logs.slowChanged(node, verdict, node.responseTimes().medianNanos(now), slowFactor);
            }
        }
    }

    /** The target answered as a primary and writes may go to it: a new epoch when it or its timeline changed. */
    private void followTarget(NodeRuntime target, Probe.Observation seen, long nanos, boolean fresh) {
        Integer tl = seen.timeline();
        boolean changed = epochTarget != null && (epochTarget != target || !Objects.equals(epochTimeline, tl));
        if (!fresh && !changed && epochTarget != null) {
            return; // another node's result: the target's position was sampled when its own result came
        }
        if (changed) {
            epoch++;
            changes.incrementAndGet();
            history.clear();
            logs.targetChanged(target, tl, epochTarget, epochTimeline);
            if (epochTarget != target) {
                fence(epochTarget);
            }
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

    /**
     * The failover fence: the election replaced {@code old} as the write target, so the connections lent from it
     * now are aborted ({@link NodeRuntime#fence}). Against a blackholed old primary nothing else ends them before
     * {@code socketTimeout} (the transaction budget's cancel request cannot reach it either), and the callers
     * blocked in them would keep their units, and the application's writers, off the new primary until then.
     */
    private void fence(NodeRuntime old) {
        int aborted = old.fence(task -> Thread.ofVirtual().name("junction-fence-" + old.name()).start(task));
        logs.fenced(old, aborted);
    }

    private NodeHealth observe(NodeRuntime node, NodeWatch.Check check) {
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

    /** Stops every node's schedule, ends the checks in flight and closes the probe connections. */
    @Override
    public void close() {
        closed = true;
        watches.forEach(NodeWatch::close);
    }
}
