package dev.junction.samples.load;

import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.samples.service.Directory;
import dev.junction.samples.service.DirectoryService;
import dev.junction.samples.service.JunctionDirectory;
import dev.junction.samples.service.NaiveDirectory;
import dev.junction.samples.service.SampleData;
import dev.junction.samples.service.TunedDirectory;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The load benchmark: an embedded PostgreSQL 17 primary with two streaming replicas behind the testkit's TCP proxy
 * (1 ms added per round trip), the sample data set, and for every user count each implementation of the sample
 * service ({@code naive}, {@code junction}, {@code tuned}; who goes first rotates), each driven by a
 * {@link ClosedLoop} on a fresh service and fresh pools. Writes {@code report.json},
 * {@code report.md} and {@code report.svg}. Run with {@code ./dev bench load [options]}; {@code --help} lists them.
 */
public final class LoadBench {
    private LoadBench() {
    }

    /**
     * The options of a run.
     *
     * @param users          user counts, each run for every implementation
     * @param impls          implementations to run: {@code naive}, {@code junction}, {@code tuned}
     * @param warmup         per run, before measuring
     * @param duration       per run, the measurement window
     * @param think          mean think time of a virtual user
     * @param timeout        the client's timeout per request
     * @param poolTimeout    the longest a request waits for a pooled connection (every implementation)
     * @param roundTrip      latency the proxy adds per database round trip
     * @param dataUsers      users in the data set
     * @param groups         groups in the data set
     * @param out            where the report goes
     * @param profile        {@code normal} or {@code harsh}: the name of the think time in the report
     */
    public record Options(List<Integer> users, List<String> impls, Duration warmup, Duration duration,
                          Duration think, Duration timeout, Duration poolTimeout, Duration roundTrip, int dataUsers,
                          int groups, Path out, String profile) {
        /** The user counts of the full benchmark by default: a run of about 8 minutes with three implementations. */
        public static final List<Integer> DEFAULT_USERS = List.of(50, 200, 500, 1000);
        /** {@code --users extended}: the default counts and the overload points, about 12 minutes. */
        public static final List<Integer> EXTENDED_USERS = List.of(50, 200, 500, 1000, 1500, 2000);
        /** The implementations, in the order of the first user count; later counts rotate it. */
        public static final List<String> IMPLS = List.of("naive", "junction", "tuned");
        /** The mean think time of the {@code normal} profile: a person reading a page. */
        public static final Duration NORMAL_THINK = Duration.ofSeconds(1);
        /** The mean think time of the {@code harsh} profile: users (or scripts) that barely pause. */
        public static final Duration HARSH_THINK = Duration.ofMillis(200);

        /** The full benchmark's defaults. */
        public static Options defaults() {
            return new Options(DEFAULT_USERS, IMPLS, Duration.ofSeconds(10), Duration.ofSeconds(30), NORMAL_THINK,
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(1), 20_000, 200,
                    Path.of("target", "bench"), "normal");
        }

        /** These options with other implementations, user counts and report directory (for the demo). */
        public Options with(List<String> impls, List<Integer> users, Path out) {
            return new Options(users, impls, warmup, duration, think, timeout, poolTimeout, roundTrip, dataUsers,
                    groups, out, profile);
        }

        /** These options with other warm-up and measurement windows and data set size (for the demo). */
        public Options with(Duration warmup, Duration duration, int dataUsers) {
            return new Options(users, impls, warmup, duration, think, timeout, poolTimeout, roundTrip, dataUsers,
                    groups, out, profile);
        }

        /** The defaults with {@code --name value} pairs applied; {@code --think} wins over the profile's. */
        static Options parse(String[] args) {
            Options d = defaults();
            List<Integer> users = d.users;
            List<String> impls = d.impls;
            Duration warmup = d.warmup;
            Duration duration = d.duration;
            Duration think = null;
            Duration timeout = d.timeout;
            Duration poolTimeout = d.poolTimeout;
            Duration roundTrip = d.roundTrip;
            int dataUsers = d.dataUsers;
            Path out = d.out;
            String profile = d.profile;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, but got '" + arg + "'; try --help");
                }
                String v = args[++i];
                switch (arg) {
                    case "--users" -> users = users(v);
                    case "--impl" -> impls = List.of(v.split(","));
                    case "--warmup" -> warmup = duration(v);
                    case "--duration" -> duration = duration(v);
                    case "--think" -> think = duration(v);
                    case "--profile" -> profile = v;
                    case "--timeout" -> timeout = duration(v);
                    case "--pool-timeout" -> poolTimeout = duration(v);
                    case "--latency" -> roundTrip = duration(v);
                    case "--data-users" -> dataUsers = Integer.parseInt(v);
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; try --help");
                }
            }
            for (String impl : impls) {
                if (!IMPLS.contains(impl)) {
                    throw new IllegalArgumentException("--impl takes naive, junction and/or tuned, but was " + impl);
                }
            }
            Duration profileThink = switch (profile) {
                case "normal" -> NORMAL_THINK;
                case "harsh" -> HARSH_THINK;
                default -> throw new IllegalArgumentException("--profile takes normal or harsh, but was " + profile);
            };
            return new Options(users, impls, warmup, duration, think == null ? profileThink : think, timeout,
                    poolTimeout, roundTrip, dataUsers, d.groups, out, profile);
        }

        /** {@code 50,200}, or a named set: {@code default}, {@code extended}. */
        private static List<Integer> users(String v) {
            return switch (v.trim()) {
                case "default" -> DEFAULT_USERS;
                case "extended" -> EXTENDED_USERS;
                default -> Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
            };
        }

        private static Duration duration(String v) {
            String t = v.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            throw new IllegalArgumentException("a duration is like 500ms or 30s, but was " + v);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
            System.out.println("""
                    usage: ./dev bench load [--users 50,200,500,1000 | default | extended] [--profile normal|harsh]
                                            [--impl naive,junction,tuned] [--duration 30s] [--warmup 10s]
                                            [--think 1s] [--timeout 5s] [--pool-timeout 5s] [--latency 1ms]
                                            [--data-users 20000] [--out target/bench]
                      --users extended   50,200,500,1000,1500,2000 (about 12 minutes instead of 8)
                      --profile harsh    mean think time 200 ms instead of 1 s (--think overrides either)""");
            return;
        }
        Options options = Options.parse(args);
        Report report = run(options, System.out);
        System.out.println();
        System.out.print(report.table());
        report.ratios().forEach(line -> System.out.println("  " + line));
    }

    /**
     * Starts the cluster, runs every (user count, implementation) pair, writes the report and stops everything.
     * Progress goes to {@code log}.
     */
    public static Report run(Options options, PrintStream log) throws IOException, InterruptedException {
        // The JDK server closes idle keep-alive connections beyond 200 by default; the users keep theirs.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        log.printf("Starting an embedded PostgreSQL 17 primary and 2 streaming replicas...%n");
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
            log.printf("Cluster started in %d ms%n", cluster.startupTime().toMillis());
            return run(cluster, options, log);
        }
    }

    /** Like {@link #run(Options, PrintStream)} on a running cluster (with at least one replica). */
    public static Report run(EmbeddedPostgresCluster cluster, Options options, PrintStream log)
            throws IOException, InterruptedException {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        int maxUsers = options.users().stream().mapToInt(Integer::intValue).max().orElse(1);
        int dataUsers = Math.max(options.dataUsers(), maxUsers);
        prepare(cluster, dataUsers, options.groups(), log);
        Duration oneWay = options.roundTrip().dividedBy(2);
        cluster.nodes().forEach(n -> n.proxy().latency(oneWay));
        double latencyMs = options.roundTrip().toNanos() / 1e6;
        log.printf("Each run: %s warm-up, %s measured, profile %s: think time %s (mean), client timeout %s, %s per"
                        + " database round trip%n", format(options.warmup()), format(options.duration()),
                options.profile(), format(options.think()), format(options.timeout()), format(options.roundTrip()));
        List<LoadResult> results = new ArrayList<>();
        try {
            int level = 0;
            for (int users : options.users()) {
                // Rotate who goes first from one user count to the next, against drift on a shared machine.
                List<String> order = new ArrayList<>(options.impls());
                Collections.rotate(order, -(level++ % Math.max(1, order.size())));
                for (String impl : order) {
                    ClosedLoop.Settings settings = new ClosedLoop.Settings(users, options.warmup(),
                            options.duration(), options.think(), options.timeout(), dataUsers, options.groups());
                    try (Directory directory = directory(impl, cluster, options.poolTimeout());
                         DirectoryService service = DirectoryService.start(directory)) {
                        LoadResult r = new ClosedLoop(settings).run(service, latencyMs, postmasters(cluster), log);
                        results.add(r);
                        log.printf(Locale.ROOT, "  %-8s %5d users: %7.1f req/s, p50 %7.1f ms, p95 %7.1f ms,"
                                        + " p99 %7.1f ms, errors %d of %d %s, %.1f round trips/req, pool wait %.1f"
                                        + " ms/req, sheds %d, spills %d, CPU %.1f ms/req%n", impl, users,
                                r.throughputRps(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.errors(), r.requests(),
                                r.errorsByKind(), r.roundTripsPerRequest(), r.poolWaitMsPerRequest(), r.sheds(),
                                r.spills(), r.cpuMsPerRequest());
                        if (!service.awaitIdle(Duration.ofSeconds(60))) {
                            log.printf("  (requests still running after 60 s; closing)%n");
                        }
                    }
                }
            }
        } finally {
            cluster.nodes().forEach(n -> n.proxy().latency(Duration.ZERO));
        }
        Report report = new Report(results, machine(options));
        Path out = options.out().toAbsolutePath();
        report.write(out);
        log.printf("Report: %s (report.json, report.md, report.svg)%n", out);
        return report;
    }

    private static void prepare(EmbeddedPostgresCluster cluster, int users, int groups, PrintStream log) {
        long start = System.nanoTime();
        SampleData.migrateAndSeed(cluster, users, groups);
        cluster.awaitReplication(Duration.ofSeconds(60));
        log.printf("Sample data: %d users, %d groups, %s memberships, replicated in %d ms%n", users, groups,
                cluster.primary().queryValue("select count(*) from membership"),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Set<Long> postmasters(EmbeddedPostgresCluster cluster) {
        Set<Long> pids = new HashSet<>();
        cluster.nodes().forEach(n -> n.pid().ifPresent(pids::add));
        return pids;
    }

    /** A fresh implementation whose pools reach every node through its proxy. */
    static Directory directory(String impl, EmbeddedPostgresCluster cluster, Duration poolTimeout) {
        if (impl.equals("naive")) {
            return NaiveDirectory.create(cluster.primary().proxiedJdbcUrl(), cluster.user(), cluster.password(),
                    poolTimeout);
        }
        if (impl.equals("tuned")) {
            // 10 connections per node, as Junction has: a pool on the primary, and one of 10 per replica over them.
            List<String> replicas = new ArrayList<>();
            for (PgNode replica : cluster.replicas()) {
                replicas.add(replica.proxy().host() + ":" + replica.proxy().port());
            }
            PgNode primary = cluster.primary();
            String replicaUrl = TunedDirectory.replicaUrl(replicas, primary.proxy().host() + ":"
                    + primary.proxy().port(), cluster.database());
            return TunedDirectory.create(primary.proxiedJdbcUrl(), replicaUrl,
                    TunedDirectory.POOL_SIZE * replicas.size(), cluster.user(), cluster.password(), poolTimeout,
                    TunedDirectory.READ_YOUR_WRITES);
        }
        PoolSettings pool = PoolSettings.builder().maximumPoolSize(10).connectionTimeout(poolTimeout).build();
        RoutingConfig.Builder config = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().proxiedJdbcUrl()))
                .primaryPool(pool)
                .replicaPool(pool)
                // Queue like the naive pool does (HikariCP has no queue limit), so neither sheds load early.
                .bulkhead(BulkheadSettings.builder().maxWaiting(4096).build());
        for (PgNode replica : cluster.replicas()) {
            config.node(NodeConfig.replica(replica.name(), replica.proxiedJdbcUrl()));
        }
        return JunctionDirectory.create(config.build());
    }

    private static String machine(Options options) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s, max heap %d MiB; PostgreSQL 17 primary"
                        + " + 2 streaming replicas on the same machine (testkit), %s added per database round trip"
                        + " by the testkit proxy. Closed loop, profile %s: each user thinks %s on average"
                        + " (exponential), client timeout %s, pool connection timeout %s; %s warm-up then %s measured"
                        + " per run.", rt.availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), rt.maxMemory() / (1024 * 1024),
                format(options.roundTrip()), options.profile(), format(options.think()), format(options.timeout()),
                format(options.poolTimeout()), format(options.warmup()), format(options.duration()));
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
