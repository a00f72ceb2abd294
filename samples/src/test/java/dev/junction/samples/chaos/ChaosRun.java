package dev.junction.samples.chaos;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.metrics.MeterNames;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.RoutingConfig;
import dev.junction.samples.bench.Latencies;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One chaos scenario on a running cluster: a router and a {@link Database} of their own, the steady {@link Load},
 * the scenario's script (warm up, fault, detection, hold, repair, recovery, settle), then the invariant checks and
 * the figures. Timestamps are {@link System#nanoTime()}.
 *
 * <p>Checked after every scenario, whatever the script did:
 * <ul>
 *   <li>every worker of the load ended once asked to (no unit hangs);</li>
 *   <li>no connection leaked: no lease outstanding and no pool connection busy once the load stopped; on every server,
 *       no session of ours ({@code application_name = 'junction'}) that is not idle, and no more of them than the
 *       node's pool holds; none left at all once the router closed;</li>
 *   <li>no router thread outlives the router, and no server process outlives its server;</li>
 *   <li>every acknowledged write is on the primary, and on every replica once it caught up;</li>
 *   <li>no write that Junction reported as not applied ({@code WriteInterruptedException} with
 *       {@code mayHaveBeenApplied} false) is on the primary.</li>
 * </ul>
 */
final class ChaosRun {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration WARM_UP = Duration.ofSeconds(2);
    static final Duration HOLD = Duration.ofSeconds(2);
    static final Duration SETTLE = Duration.ofMillis(1500);
    static final Duration BUDGET = Duration.ofSeconds(2);
    static final Duration THINK = Duration.ofMillis(5);
    static final int WRITERS = 2;
    static final int READERS = 3;

    /** The scenario's own steps, run while the load runs. */
    interface Script {
        void run(ChaosRun run) throws Exception;
    }

    private final String name;
    private final EmbeddedPostgresCluster cluster;
    private final ClusterRouter router;
    private final Database db;
    private final Load load;
    private final SimpleMeterRegistry meters;
    private final Set<Long> victimProcesses = new HashSet<>();
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private PgNode primary;
    private long faultAt = -1;
    private long detectedAt = -1;
    private long repairedAt = -1;
    private long recoveredAt = -1;

    private ChaosRun(String name, EmbeddedPostgresCluster cluster, ClusterRouter router, Database db, Load load,
                     SimpleMeterRegistry meters) {
        this.meters = meters;
        this.name = name;
        this.cluster = cluster;
        this.router = router;
        this.db = db;
        this.load = load;
        this.primary = cluster.primary();
    }

    static ScenarioResult run(String name, EmbeddedPostgresCluster cluster, RoutingConfig config, AtomicLong ids,
                              Script script) throws Exception {
        ClusterRouter router = ClusterRouter.create(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Database db;
        try {
            db = Junction.builder().router(router).transactionBudget(BUDGET).meterRegistry(meters).build();
        } catch (RuntimeException | Error e) {
            router.close();
            throw e;
        }
        ChaosRun run = new ChaosRun(name, cluster, router, db, new Load(db, WRITERS, READERS, THINK, ids), meters);
        return run.execute(script);
    }

    private ScenarioResult execute(Script script) throws Exception {
        long started = System.nanoTime();
        boolean workersEnded;
        long stopped;
        long leaked;
        Map<String, Long> routing;
        try {
            try {
                load.start();
                script.run(this);
            } finally {
                workersEnded = load.stop(WAIT);
                stopped = System.nanoTime();
            }
            leaked = busyAfterLoad();
            routing = router.routingCounts();
        } finally {
            db.close(); // closes the router: monitor, pools
        }
        leaked += sessionsAfterClose();
        long leakedThreads = threadsAfterClose();
        long extraProcesses = extraProcesses();

        Set<Long> acknowledged = load.acknowledged();
        long lost = missing(primary, acknowledged);
        Set<Long> notApplied = load.notApplied();
        extras.put("writes_said_not_applied", notApplied.size());
        extras.put("writes_said_not_applied_but_applied", notApplied.size() - missing(primary, notApplied));
        cluster.awaitReplication(WAIT);
        long replicaMissing = 0;
        for (PgNode replica : cluster.replicas()) {
            replicaMissing += missing(replica, acknowledged);
        }

        List<Op> ops = load.ops();
        long[] nanos = ops.stream().mapToLong(Op::nanos).toArray();
        extras.put("workers_ended", workersEnded);
        extras.put("failure_examples", load.failureExamples());
        return new ScenarioResult(name, ops.size(), ops.stream().filter(o -> !o.ok()).count(),
                ops.stream().filter(o -> !o.ok() && o.isRead()).count(),
                ops.stream().filter(o -> !o.ok() && !o.isRead()).count(),
                acknowledged.size(), lost, replicaMissing, load.inDoubt().size(),
                ops.stream().filter(o -> o.kind() == Op.Kind.TOKEN_READ).count(), load.staleReads().size(), leaked,
                leakedThreads, extraProcesses, percentileMillis(nanos, 0.99), percentileMillis(nanos, 1.0),
                millisBetween(faultAt, detectedAt), millisBetween(repairedAt, recoveredAt),
                (stopped - started) / 1_000_000, failuresByType(ops), routing, extras);
    }

    // ---- steps for scripts ----

    void warmUp() throws InterruptedException {
        Thread.sleep(WARM_UP);
    }

    /**
     * Runs the fault and waits until the router shows it. {@code detect_ms} is the time from the fault's start until
     * {@code detected} first held, watched from that start on (a kill, say, returns only once every process of the
     * server is gone, and the router may notice before that).
     */
    void fault(String what, Runnable action, BooleanSupplier detected) throws InterruptedException {
        AtomicLong seen = new AtomicLong(-1);
        AtomicBoolean watching = new AtomicBoolean(true);
        faultAt = System.nanoTime();
        Thread watcher = Thread.ofVirtual().name("chaos-detect").start(() -> {
            while (watching.get() && seen.get() < 0) {
                if (detected.getAsBoolean()) {
                    seen.compareAndSet(-1, System.nanoTime());
                    return;
                }
                LockSupport.parkNanos(2_000_000);
            }
        });
        try {
            action.run();
            poll(what, () -> seen.get() >= 0);
        } finally {
            watching.set(false);
            watcher.join();
        }
        detectedAt = seen.get();
    }

    /** Like {@link #fault}, remembering {@code victim}'s server processes, none of which may outlive the fault. */
    void faultOn(PgNode victim, String what, Runnable action, BooleanSupplier detected) throws InterruptedException {
        victim.pid().flatMap(ProcessHandle::of).ifPresent(p -> {
            victimProcesses.add(p.pid());
            p.descendants().forEach(d -> victimProcesses.add(d.pid()));
        });
        fault(what, action, detected);
    }

    void hold() throws InterruptedException {
        Thread.sleep(HOLD);
    }

    /** Runs the repair; recovery is measured from the moment it has returned (the node accepts connections). */
    void repair(Runnable action) {
        action.run();
        repairedAt = System.nanoTime();
    }

    /**
     * Waits until, for every condition, a unit of the load that started after the repair matches it; the time from
     * the repair until the last of those units ended is {@code recovery_ms}.
     */
    @SafeVarargs
    final void awaitRecovered(String what, Predicate<Op>... conditions) throws InterruptedException {
        long[] ends = new long[conditions.length];
        poll(what, () -> {
            for (int i = 0; i < conditions.length; i++) {
                Op op = load.firstStartedAfter(repairedAt, conditions[i]);
                if (op == null) {
                    return false;
                }
                ends[i] = op.endNanos();
            }
            return true;
        });
        recoveredAt = Arrays.stream(ends).max().orElseThrow();
    }

    /**
     * The node that holds the acknowledged writes from now on, for the checks at the end: the cluster's primary
     * unless a scenario promoted another node.
     */
    void primaryIs(PgNode node) {
        this.primary = node;
    }

    void settle() throws InterruptedException {
        Thread.sleep(SETTLE);
    }

    void extra(String key, Object value) {
        extras.put(key, value);
    }

    ClusterRouter router() {
        return router;
    }

    Database db() {
        return db;
    }

    Load load() {
        return load;
    }

    long faultAt() {
        return faultAt;
    }

    long detectedAt() {
        return detectedAt;
    }

    long repairedAt() {
        return repairedAt;
    }

    /** Times {@code node}'s circuit breaker opened so far (the meter {@code junction.breaker.openings}). */
    long breakerOpenings(String node) {
        return (long) meters.get(MeterNames.BREAKER_OPENINGS).tag(MeterNames.TAG_NODE, node).functionCounter().count();
    }

    NodeStatus status(String node) {
        return router.topology().snapshot().stream().filter(s -> s.name().equals(node)).findFirst().orElseThrow();
    }

    private long poll(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": timed out after " + WAIT + " waiting until " + what
                        + "; topology: " + router.topology().snapshot());
            }
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    // ---- invariants ----

    /** Leases and busy pool connections once the load stopped, and sessions of ours beyond the idle pool. */
    private long busyAfterLoad() throws InterruptedException {
        awaitQuietly(Duration.ofSeconds(20), () -> router.topology().snapshot().stream()
                .allMatch(s -> s.outstanding() == 0 && s.poolActive() == 0 && s.poolWaiting() == 0));
        long leaked = 0;
        for (NodeStatus s : router.topology().snapshot()) {
            leaked += s.outstanding() + s.poolActive();
        }
        for (PgNode node : cluster.nodes()) {
            if (!node.isRunning()) {
                continue;
            }
            long[] counts = new long[2];
            awaitQuietly(Duration.ofSeconds(10), () -> {
                long[] c = sessions(node);
                counts[0] = c[0];
                counts[1] = c[1];
                return c[0] == 0 && c[1] <= status(node.name()).poolTotal();
            });
            leaked += counts[0] + Math.max(0, counts[1] - status(node.name()).poolTotal());
        }
        return leaked;
    }

    /** Sessions of the router (pools and monitor) still on a server after it closed. */
    private long sessionsAfterClose() throws InterruptedException {
        long left = 0;
        for (PgNode node : cluster.nodes()) {
            if (!node.isRunning()) {
                continue;
            }
            long[] count = new long[1];
            awaitQuietly(Duration.ofSeconds(15), () -> (count[0] = (Long) node.queryValue(
                    "select count(*) from pg_stat_activity where application_name in ('junction', 'junction-monitor')"))
                    == 0);
            left += count[0];
        }
        return left;
    }

    /** {busy sessions, all sessions} of the application's pools on {@code node}. */
    private static long[] sessions(PgNode node) {
        Map<String, Object> row = node.query("select count(*) filter (where state <> 'idle') as busy, count(*) as total"
                + " from pg_stat_activity where application_name = 'junction'").get(0);
        return new long[] {(Long) row.get("busy"), (Long) row.get("total")};
    }

    private static long threadsAfterClose() throws InterruptedException {
        long[] count = new long[1];
        awaitQuietly(Duration.ofSeconds(10), () -> (count[0] = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("junction-") && !t.getName().startsWith("junction-proxy"))
                .count()) == 0);
        return count[0];
    }

    /** Postmasters of this cluster that are not a running node's, and processes of a killed server still alive. */
    private long extraProcesses() {
        String dataDirs = " -D " + cluster.baseDirectory();
        Set<Long> postmasters = cluster.nodes().stream().filter(PgNode::isRunning)
                .flatMap(n -> n.pid().stream()).collect(Collectors.toSet());
        long strays = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dataDirs)).orElse(false))
                .filter(p -> !postmasters.contains(p.pid()))
                .count();
        long survivors = victimProcesses.stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .filter(pid -> !postmasters.contains(pid))
                .count();
        return strays + survivors;
    }

    private static long missing(PgNode node, Set<Long> acknowledged) {
        Set<Long> present = node.query("select id from chaos_events").stream()
                .map(r -> (Long) r.get("id")).collect(Collectors.toSet());
        return acknowledged.stream().filter(id -> !present.contains(id)).count();
    }

    private static void awaitQuietly(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static Map<String, Long> failuresByType(List<Op> ops) {
        Map<String, Long> byType = new TreeMap<>();
        for (Op op : ops) {
            if (!op.ok()) {
                byType.merge(op.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + op.failure(), 1L, Long::sum);
            }
        }
        return byType;
    }

    /** The latency at {@code p} (0..1) of {@code nanos}, in milliseconds, from {@link Latencies}. */
    static double percentileMillis(long[] nanos, double p) {
        return Latencies.of(nanos).percentileMs(p);
    }

    private static long millisBetween(long from, long to) {
        return from < 0 || to < 0 ? -1 : Math.max(0, (to - from) / 1_000_000);
    }

    static List<Op> failedAfter(List<Op> ops, long nanos, Op.Kind kind) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            if (op.kind() == kind && !op.ok() && op.startNanos() >= nanos) {
                out.add(op);
            }
        }
        return out;
    }
}
