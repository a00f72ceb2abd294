package dev.junction.samples.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * What Junction costs per call when callers outnumber connections: point reads by primary key on a replica and
 * single-row {@code update ... where id = ?} transactions on the primary, through plain HikariCP + jOOQ and through
 * {@code db.read} / {@code db.write} on a {@link ClusterRouter} over the same primary and replica, at 1, 16 and 64
 * callers over pools of {@value #POOL} connections. The four legs run in one JVM, interleaved in rounds (the order
 * rotates every round) so that drift on a shared machine hits them alike; the figures are medians over the rounds.
 *
 * <p>Per leg and caller count it reports throughput, the JVM's CPU time per operation (the process, so the pools' and
 * the monitor's threads count too) and the callers' own CPU per operation ({@link ThreadMXBean}), and round trips per
 * operation counted at the socket: a separate short pass sends the same work through a {@link RoundTripCounter} (one
 * ReadyForQuery per round trip, the health monitor's connections excluded), so the relay's own CPU never enters the
 * throughput figures. Writes {@code samples/target/bench/per-call.json}: a list of {@code {"leg", "callers",
 * "ops_per_s", "round_trips_per_op", ...}}.
 *
 * <p>Run: {@code ./dev bench per-call [--rounds 6] [--seconds 1] [--long]} (about 3 minutes by default, build included;
 * {@code --long} is 30 rounds of 2 s per leg). Figures and how to read them: {@code docs/benchmarks.md}.
 */
public final class PerCallBench {
    static final int POOL = 8;
    static final int[] CALLERS = {1, 16, 64};
    static final List<String> LEGS = List.of("plain-read", "junction-read", "plain-write", "junction-write");
    /**
     * Not in the JSON: the plain write transaction whose commit also reads the WAL position, as Junction's does for
     * the consistency token (same SQL sent the same way, same single round trip), so that the report can tell the token's share of the
     * write gap from the rest of Junction's.
     */
    static final String TOKEN_LEG = "plain-write-token";
    static final List<String> ROUND_LEGS = List.of("plain-read", "junction-read", "plain-write", "junction-write",
            TOKEN_LEG);
    /** What Junction's commit sends (dev.junction.internal.unit.CommitPositions), copied: it is internal. */
    private static final String COMMIT_AND_POSITION = "COMMIT; SELECT pg_current_wal_insert_lsn()::text,"
            + " pg_walfile_name(pg_current_wal_insert_lsn())";
    private static final String READ = "select label from item where id = ?";
    private static final String UPDATE = "update item set label = ? where id = ?";
    private static final int ROWS = 1_000;
    private static final AtomicReference<String> FIRST_ERROR = new AtomicReference<>();

    private PerCallBench() {
    }

    /** One operation of a leg. */
    @FunctionalInterface
    interface Op {
        void run();
    }

    /** The legs' four operations over one set of pools. */
    record Legs(Map<String, Op> ops, AutoCloseable resources) {
    }

    /** One round of one leg. */
    record Sample(double opsPerSecond, double processCpuNanosPerOp, double callerCpuNanosPerOp, long errors) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 6;
        double seconds = 1.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--long" -> {
                    rounds = 30;
                    seconds = 2;
                }
                default -> {
                    System.err.println("usage: ./dev bench per-call [--rounds 6] [--seconds 1] [--long]");
                    System.exit(2);
                }
            }
        }
        long legNanos = (long) (seconds * 1e9);
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            items(cluster);
            PgNode primary = cluster.primary();
            PgNode replica = cluster.replicas().get(0);
            Map<String, Map<Integer, Double>> roundTrips;
            try (RoundTripCounter primaryCounter = RoundTripCounter.start(primary.host(), primary.port());
                 RoundTripCounter replicaCounter = RoundTripCounter.start(replica.host(), replica.port())) {
                Legs counted = legs(cluster, primaryCounter.jdbcUrl(cluster.database()),
                        replicaCounter.jdbcUrl(cluster.database()));
                try (AutoCloseable ignored = counted.resources()) {
                    roundTrips = countRoundTrips(counted, primaryCounter, replicaCounter);
                }
            }
            Legs legs = legs(cluster, primary.jdbcUrl(), replica.jdbcUrl());
            try (AutoCloseable ignored = legs.resources()) {
                System.out.printf(Locale.ROOT, "Per-call cost: %d rounds of %.1f s per leg and caller count, pools of"
                        + " %d, legs interleaved (order rotates each round); %d cores%n", rounds, seconds, POOL,
                        Runtime.getRuntime().availableProcessors());
                for (String leg : ROUND_LEGS) { // warm-up: JIT, pools, plans
                    run(legs.ops().get(leg), 16, Duration.ofSeconds(2).toNanos());
                }
                Map<String, Map<Integer, List<Sample>>> samples = new LinkedHashMap<>();
                for (int callers : CALLERS) {
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < ROUND_LEGS.size(); k++) {
                            String leg = ROUND_LEGS.get((k + r) % ROUND_LEGS.size());
                            Sample s = run(legs.ops().get(leg), callers, legNanos);
                            samples.computeIfAbsent(leg, x -> new LinkedHashMap<>())
                                    .computeIfAbsent(callers, x -> new ArrayList<>()).add(s);
                        }
                    }
                }
                report(samples, roundTrips, rounds, seconds);
            }
        }
    }

    /** The four operations: plain pools of {@value #POOL} on each node, and a Database whose pools are as large. */
    static Legs legs(EmbeddedPostgresCluster cluster, String primaryUrl, String replicaUrl) {
        HikariDataSource plainReplica = pool(cluster, replicaUrl, "plain-replica");
        HikariDataSource plainPrimary = pool(cluster, primaryUrl, "plain-primary");
        DSLContext readDsl = DSL.using(plainReplica, SQLDialect.POSTGRES);
        PoolSettings pool = PoolSettings.builder().maximumPoolSize(POOL).minimumIdle(POOL)
                .connectionTimeout(Duration.ofSeconds(30)).build();
        Database db = Junction.builder().router(ClusterRouter.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), primaryUrl))
                .node(NodeConfig.replica(cluster.replicas().get(0).name(), replicaUrl))
                .primaryPool(pool)
                .replicaPool(pool)
                // Callers wait for a connection as they do on the plain pools, instead of being turned away.
                .bulkhead(BulkheadSettings.builder().maxWaiting(128).build())
                .build())).build();
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("plain-read", () -> readDsl.fetchValue(READ, id()));
        ops.put("junction-read", () -> {
            int id = id();
            db.read(ctx -> ctx.fetchValue(READ, id));
        });
        ops.put("plain-write", () -> {
            // The floor of a write transaction: BEGIN travels with the statement, then the commit (2 round trips).
            // jOOQ's own transaction() would add a SHOW TRANSACTION ISOLATION LEVEL per transaction.
            int id = id();
            try (Connection c = plainPrimary.getConnection()) {
                c.setAutoCommit(false);
                DSL.using(c, SQLDialect.POSTGRES).execute(UPDATE, "p" + id, id);
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        ops.put("junction-write", () -> {
            int id = id();
            db.write(ctx -> ctx.execute(UPDATE, "j" + id, id));
        });
        ops.put(TOKEN_LEG, () -> {
            int id = id();
            try (Connection c = plainPrimary.getConnection()) {
                c.setAutoCommit(false);
                DSL.using(c, SQLDialect.POSTGRES).execute(UPDATE, "t" + id, id);
                try (PreparedStatement s = c.prepareStatement(COMMIT_AND_POSITION)) {
                    boolean hasResult = s.execute();
                    while (!hasResult) {
                        hasResult = s.getMoreResults();
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        rs.next();
                        rs.getString(1);
                        rs.getString(2);
                    }
                }
                c.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return new Legs(ops, () -> {
            db.close();
            plainReplica.close();
            plainPrimary.close();
        });
    }

    private static int id() {
        return ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    }

    /** Round trips per operation of every leg at every caller count, through the counting relays. */
    private static Map<String, Map<Integer, Double>> countRoundTrips(Legs legs, RoundTripCounter primary,
                                                                    RoundTripCounter replica) {
        Map<String, Map<Integer, Double>> perOp = new LinkedHashMap<>();
        for (String leg : ROUND_LEGS) {
            run(legs.ops().get(leg), 4, Duration.ofMillis(500).toNanos()); // pools full, statements prepared
        }
        for (int callers : CALLERS) {
            for (String leg : ROUND_LEGS) {
                long before = primary.roundTrips() + replica.roundTrips();
                long ops = runCounting(legs.ops().get(leg), callers, Math.max(400, callers * 20));
                long after = primary.roundTrips() + replica.roundTrips();
                perOp.computeIfAbsent(leg, x -> new LinkedHashMap<>()).put(callers, (after - before) / (double) ops);
            }
        }
        return perOp;
    }

    /** Runs {@code total} operations spread over {@code callers} threads; returns how many ran. */
    private static long runCounting(Op op, int callers, int total) {
        AtomicLong issued = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            threads.add(Thread.ofPlatform().name("per-call-count-" + t).start(() -> {
                while (issued.incrementAndGet() <= total) {
                    try {
                        op.run();
                    } catch (RuntimeException e) {
                        System.err.println("failed operation while counting round trips: " + e);
                    }
                }
            }));
        }
        join(threads);
        return total;
    }

    /** Runs {@code op} on {@code callers} threads for {@code nanos}; throughput and CPU per operation. */
    static Sample run(Op op, int callers, long nanos) {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CountDownLatch start = new CountDownLatch(1);
        long[] counts = new long[callers];
        long[] cpu = new long[callers];
        long[] errors = new long[callers];
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int slot = t;
            threads.add(Thread.ofPlatform().name("per-call-" + t).start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long c0 = threadBean.getCurrentThreadCpuTime();
                long end = window[1];
                long n = 0;
                while (System.nanoTime() < end) {
                    try {
                        op.run();
                        n++;
                    } catch (RuntimeException e) {
                        if (errors[slot]++ == 0 && FIRST_ERROR.compareAndSet(null, e.toString())) {
                            System.err.println("first failed operation: " + e);
                        }
                    }
                }
                counts[slot] = n;
                cpu[slot] = threadBean.getCurrentThreadCpuTime() - c0;
            }));
        }
        long cpu0 = os.getProcessCpuTime();
        window[0] = System.nanoTime();
        window[1] = window[0] + nanos;
        start.countDown();
        join(threads);
        long elapsed = System.nanoTime() - window[0];
        long processCpu = os.getProcessCpuTime() - cpu0;
        long ops = Arrays.stream(counts).sum();
        long callerCpu = Arrays.stream(cpu).sum();
        return new Sample(ops / (elapsed / 1e9), processCpu / (double) Math.max(1, ops),
                callerCpu / (double) Math.max(1, ops), Arrays.stream(errors).sum());
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static void report(Map<String, Map<Integer, List<Sample>>> samples,
                               Map<String, Map<Integer, Double>> roundTrips, int rounds, double seconds)
            throws IOException {
        System.out.printf("%n%-15s %7s %11s %12s %14s %14s %7s%n", "leg", "callers", "ops/s", "round trips",
                "JVM CPU us/op", "caller us/op", "errors");
        StringBuilder json = new StringBuilder("[\n");
        for (int callers : CALLERS) {
            for (String leg : ROUND_LEGS) {
                List<Sample> s = samples.get(leg).get(callers);
                double ops = median(s.stream().mapToDouble(Sample::opsPerSecond).toArray());
                double cpu = median(s.stream().mapToDouble(Sample::processCpuNanosPerOp).toArray()) / 1e3;
                double callerCpu = median(s.stream().mapToDouble(Sample::callerCpuNanosPerOp).toArray()) / 1e3;
                double rt = roundTrips.get(leg).get(callers);
                long errors = s.stream().mapToLong(Sample::errors).sum();
                System.out.printf(Locale.ROOT, "%-15s %7d %11.0f %12.2f %14.1f %14.1f %7d%n", leg, callers, ops, rt,
                        cpu, callerCpu, errors);
                if (!LEGS.contains(leg)) {
                    continue; // the diagnostic leg: in the table, not in the JSON
                }
                if (json.length() > 2) {
                    json.append(",\n");
                }
                json.append(String.format(Locale.ROOT, "  {\"leg\": \"%s\", \"callers\": %d, \"ops_per_s\": %.1f,"
                                + " \"round_trips_per_op\": %.3f, \"jvm_cpu_us_per_op\": %.2f,"
                                + " \"caller_cpu_us_per_op\": %.2f, \"errors\": %d, \"rounds\": %d,"
                                + " \"seconds_per_round\": %.2f}",
                        leg, callers, ops, rt, cpu, callerCpu, errors, rounds, seconds));
            }
        }
        json.append("\n]\n");
        System.out.printf("%nJunction / plain, median of the per-round ratios (quartiles):%n");
        for (int callers : CALLERS) {
            for (String kind : List.of("read", "write")) {
                List<Sample> plain = samples.get("plain-" + kind).get(callers);
                List<Sample> junction = samples.get("junction-" + kind).get(callers);
                double[] ratio = new double[plain.size()];
                double[] cpuRatio = new double[plain.size()];
                for (int i = 0; i < ratio.length; i++) {
                    ratio[i] = junction.get(i).opsPerSecond() / plain.get(i).opsPerSecond();
                    cpuRatio[i] = junction.get(i).processCpuNanosPerOp() / plain.get(i).processCpuNanosPerOp();
                }
                System.out.printf(Locale.ROOT, "  %-5s %2d callers: throughput %.2fx (%.2f-%.2f), JVM CPU per op"
                                + " %.2fx, round trips %.2f vs %.2f%n", kind, callers, median(ratio),
                        quantile(ratio, 0.25), quantile(ratio, 0.75), median(cpuRatio),
                        roundTrips.get("junction-" + kind).get(callers), roundTrips.get("plain-" + kind).get(callers));
            }
            List<Sample> plain = samples.get("plain-write").get(callers);
            List<Sample> token = samples.get(TOKEN_LEG).get(callers);
            List<Sample> junction = samples.get("junction-write").get(callers);
            double[] tokenRatio = new double[plain.size()];
            double[] junctionToToken = new double[plain.size()];
            for (int i = 0; i < tokenRatio.length; i++) {
                tokenRatio[i] = token.get(i).opsPerSecond() / plain.get(i).opsPerSecond();
                junctionToToken[i] = junction.get(i).opsPerSecond() / token.get(i).opsPerSecond();
            }
            System.out.printf(Locale.ROOT, "  write %2d callers: plain with the token's commit / plain %.2fx (%.2f-%.2f),"
                            + " junction / plain with the token's commit %.2fx (%.2f-%.2f); %.0f ops/s, %.2f round"
                            + " trips, JVM CPU %.1f us/op%n", callers, median(tokenRatio), quantile(tokenRatio, 0.25),
                    quantile(tokenRatio, 0.75), median(junctionToToken), quantile(junctionToToken, 0.25),
                    quantile(junctionToToken, 0.75), median(token.stream().mapToDouble(Sample::opsPerSecond)
                            .toArray()), roundTrips.get(TOKEN_LEG).get(callers),
                    median(token.stream().mapToDouble(Sample::processCpuNanosPerOp).toArray()) / 1e3);
        }
        Path out = Path.of("target", "bench", "per-call.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.println("\nWrote " + out.toAbsolutePath());
    }

    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** Linear interpolation between the closest ranks. */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** A table of {@value #ROWS} rows on the primary, replicated. */
    private static void items(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table item (id int primary key, label text not null)");
        cluster.primary().execute("grant all on item to " + cluster.user());
        cluster.primary().execute("insert into item select g, 'item ' || g from generate_series(1, " + ROWS + ") g");
        cluster.primary().execute("analyze item");
        cluster.awaitReplication(Duration.ofSeconds(60));
    }

    private static HikariDataSource pool(EmbeddedPostgresCluster cluster, String url, String name) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName(name);
        pool.setJdbcUrl(url);
        pool.setUsername(cluster.user());
        pool.setPassword(cluster.password());
        pool.setMaximumPoolSize(POOL);
        pool.setMinimumIdle(POOL);
        pool.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        return pool;
    }
}
