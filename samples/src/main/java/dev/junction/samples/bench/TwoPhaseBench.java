package dev.junction.samples.bench;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Lints;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.ClusterRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How long a sign-up holds a primary connection: two code-table lookups and an insert inside one transaction, versus
 * the lookups as a parallel read phase on the replica ({@code prepare}) followed by a one-statement transaction
 * ({@code thenWrite}). Both nodes sit behind the testkit proxy with 1 ms added per round trip. Prints the median
 * primary hold time and end-to-end latency of each shape and their ratio, measured in the same run. Run with
 * {@code ./dev bench two-phase}.
 */
public final class TwoPhaseBench {
    private static final AtomicLong IDS = new AtomicLong(1_000_000);

    private TwoPhaseBench() {
    }

    public static void main(String[] args) {
        int units = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            PGSimpleDataSource direct = new PGSimpleDataSource();
            direct.setUrl(cluster.primary().jdbcUrl());
            direct.setUser(cluster.user());
            direct.setPassword(cluster.password());
            Flyway.configure().dataSource(direct).locations("classpath:db/migration").load().migrate();
            cluster.awaitReplication(Duration.ofSeconds(30));
            PgNode replica = cluster.replicas().get(0);
            cluster.primary().proxy().latency(Duration.ofNanos(500_000));
            replica.proxy().latency(Duration.ofNanos(500_000));
            RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.primary("primary", cluster.primary().proxiedJdbcUrl()))
                    .node(NodeConfig.replica("replica", replica.proxiedJdbcUrl()))
                    .primaryPool(PoolSettings.builder().maximumPoolSize(4).build())
                    .replicaPool(PoolSettings.builder().maximumPoolSize(4).build())
                    .build();
            try (Database db = Junction.builder().router(ClusterRouter.create(config)).lints(Lints.off()).build()) {
                List<Long> inTxHold = new ArrayList<>();
                List<Long> inTxTotal = new ArrayList<>();
                List<Long> twoPhaseHold = new ArrayList<>();
                List<Long> twoPhaseTotal = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    oneTransaction(db);
                    twoPhase(db);
                }
                for (int i = 0; i < units; i++) {
                    long start = System.nanoTime();
                    Commit<Integer> a = oneTransaction(db);
                    inTxTotal.add(System.nanoTime() - start);
                    inTxHold.add(a.report().connectionHoldTime().toNanos());
                    start = System.nanoTime();
                    Commit<Integer> b = twoPhase(db);
                    twoPhaseTotal.add(System.nanoTime() - start);
                    twoPhaseHold.add(b.report().connectionHoldTime().toNanos());
                }
                double holdA = Latencies.of(inTxHold).medianNanos();
                double holdB = Latencies.of(twoPhaseHold).medianNanos();
                System.out.printf("sign-up (2 lookups + 1 insert), %d units per shape, 1 ms added per round trip%n",
                        units);
                System.out.printf("%-34s %18s %16s%n", "shape", "primary hold ms", "latency ms");
                System.out.printf("%-34s %18.2f %16.2f%n", "lookups inside one transaction", holdA / 1e6,
                        Latencies.of(inTxTotal).medianNanos() / 1e6);
                System.out.printf("%-34s %18.2f %16.2f%n", "prepare (replica) + thenWrite", holdB / 1e6,
                        Latencies.of(twoPhaseTotal).medianNanos() / 1e6);
                System.out.printf("primary connection hold time, two-phase / one transaction: %.2f%n", holdB / holdA);
            }
        }
    }

    private static Commit<Integer> oneTransaction(Database db) {
        return db.write(tx -> insertUser(tx, roleId(tx), countryCode(tx)));
    }

    private static Commit<Integer> twoPhase(Database db) {
        return db.prepare(TwoPhaseBench::roleId, TwoPhaseBench::countryCode)
                .thenWrite((tx, looked) -> insertUser(tx, looked.first(), looked.second()));
    }

    private static String roleId(DSLContext ctx) {
        return ctx.fetchSingle("select code from role order by code limit 1").get(0, String.class);
    }

    private static String countryCode(DSLContext ctx) {
        return ctx.fetchSingle("select code from country where code = 'DE'").get(0, String.class);
    }

    private static int insertUser(DSLContext tx, String role, String country) {
        long id = IDS.incrementAndGet();
        return tx.execute("insert into users (id, email, display_name, country_code) values (?, ?, ?, ?)", id,
                "u" + id + "@example.org", "User of role " + role, country);
    }
}
