package dev.junction.samples.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Lints;
import dev.junction.Reported;
import dev.junction.UnitReport;
import dev.junction.samples.directory.TailorDirectory;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Graph fetch vs list-plus-relations vs N+1, through the testkit's TCP proxy with added network latency: 50 tailors,
 * each with its user (to-one) and sample works (to-many). Prints round trips per variant, median and p90 latency and
 * the ratios to the graph fetch, all measured in the same run. Run with {@code ./dev bench round-trips}.
 */
public final class RoundTripBench {
    private static final int PARENTS = 50;

    private RoundTripBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Duration oneWay = Duration.ofNanos(500_000); // 1 ms added per round trip
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(0).start()) {
            PGSimpleDataSource direct = dataSource(cluster, cluster.primary().jdbcUrl());
            Flyway.configure().dataSource(direct).locations("classpath:db/migration").load().migrate();
            populate(direct);
            cluster.primary().proxy().latency(oneWay);
            try (HikariDataSource pool = pool(cluster, cluster.primary().proxiedJdbcUrl());
                 Database db = Junction.builder().dataSource(pool).lints(Lints.off()).build()) {
                TailorDirectory directory = new TailorDirectory(db);
                Map<String, Function<TailorDirectory, Reported<?>>> variants = new LinkedHashMap<>();
                variants.put("graph fetch (generated)", d -> d.tailorsIn("Berlin", PARENTS));
                variants.put("list + relations", d -> d.tailorsInNaively("Berlin", PARENTS));
                variants.put("N+1", d -> d.tailorsInOneByOne("Berlin", PARENTS));
                run(directory, variants, rounds, oneWay);
            }
        }
    }

    private static void run(TailorDirectory directory, Map<String, Function<TailorDirectory, Reported<?>>> variants,
                            int rounds, Duration oneWay) {
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        Map<String, UnitReport> last = new LinkedHashMap<>();
        variants.keySet().forEach(k -> nanos.put(k, new ArrayList<>()));
        for (int warm = 0; warm < 5; warm++) {
            variants.values().forEach(v -> v.apply(directory));
        }
        // Interleave the variants so drift on a noisy machine hits all of them alike.
        for (int r = 0; r < rounds; r++) {
            for (var e : variants.entrySet()) {
                long start = System.nanoTime();
                Reported<?> result = e.getValue().apply(directory);
                nanos.get(e.getKey()).add(System.nanoTime() - start);
                last.put(e.getKey(), result.report());
            }
        }
        System.out.printf("%d parents with a to-one and a to-many relation, %s added per round trip (testkit proxy),"
                + " %d rounds%n", PARENTS, format(oneWay.multipliedBy(2)), rounds);
        System.out.printf("%-24s %12s %11s %11s %11s %12s%n", "variant", "round trips", "median ms", "p90 ms",
                "x graph", "hold ms");
        double base = Latencies.of(nanos.values().iterator().next()).medianNanos();
        for (var e : nanos.entrySet()) {
            UnitReport report = last.get(e.getKey());
            Latencies latencies = Latencies.of(e.getValue());
            double median = latencies.medianNanos();
            System.out.printf("%-24s %12d %11.2f %11.2f %11.1f %12.2f%n", e.getKey(), report.roundTrips(),
                    median / 1e6, latencies.percentileNanos(0.9) / 1e6, median / base,
                    report.connectionHoldTime().toNanos() / 1e6);
        }
    }

    /** A small pool, so the figures measure the queries, not connection set-up. */
    private static HikariDataSource pool(EmbeddedPostgresCluster cluster, String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(cluster.user());
        pool.setPassword(cluster.password());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    private static PGSimpleDataSource dataSource(EmbeddedPostgresCluster cluster, String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(cluster.user());
        ds.setPassword(cluster.password());
        return ds;
    }

    /** 50 tailors in Berlin (and some elsewhere), 0-4 sample works each; fixed seed. */
    private static void populate(PGSimpleDataSource ds) {
        try (Database db = Junction.builder().dataSource(ds).lints(Lints.off()).build()) {
            Random random = new Random(42);
            db.write(ctx -> {
                for (int u = 1; u <= PARENTS + 20; u++) {
                    String city = u <= PARENTS ? "Berlin" : "Lyon";
                    ctx.execute("insert into users (id, email, display_name, country_code) values (?, ?, ?, 'DE')",
                            u, "u" + u + "@example.org", "User " + u);
                    ctx.execute("insert into tailor (id, user_id, city) values (?, ?, ?)", u, u, city);
                    for (int w = random.nextInt(5); w > 0; w--) {
                        ctx.execute("insert into sample_work (tailor_id, title) values (?, ?)", u, "work " + w);
                    }
                }
                return null;
            });
        }
    }

    private static String format(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toNanos() / 1e6 + " ms";
    }
}
