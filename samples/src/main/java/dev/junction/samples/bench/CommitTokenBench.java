package dev.junction.samples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.ClusterRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * What the consistency token costs a write: single-row INSERT transactions on an embedded primary (with one replica),
 * one thread, in four variants measured in the same run and alternated in rounds so that drift hits them alike:
 * <ol type="a">
 *   <li>{@link Database#write}: the commit and its WAL position in one round trip, plus everything a Junction unit
 *       does (routing, jOOQ, the transaction budget);</li>
 *   <li>plain JDBC on a HikariCP pool, {@code connection.commit()}, no position: the floor;</li>
 *   <li>plain JDBC commit, then a separate {@code select pg_current_wal_insert_lsn()}: the naive token, one more
 *       round trip;</li>
 *   <li>plain JDBC with {@code COMMIT; SELECT pg_current_wal_insert_lsn()} in one message: the token technique
 *       alone, without Junction's other work.</li>
 * </ol>
 * A second pass puts the testkit's TCP proxy in front of the primary with added latency in each direction, where
 * every round trip counts. Prints median and p99 per transaction and the ratios to (a). Arguments (all optional):
 * transactions per variant (3000), transactions per variant with latency (500), latency per direction in ms (1).
 *
 * <p>Run: {@code ./dev bench commit-token [transactions] [with-latency] [ms]}; other ways and the figures are in
 * {@code docs/consistency.md}.
 */
public final class CommitTokenBench {
    private static final String INSERT = "insert into bench_commit (variant) values (?)";
    private static final String POSITION = "select pg_current_wal_insert_lsn()::text";
    private static final String COMMIT_AND_POSITION = "COMMIT; SELECT pg_current_wal_insert_lsn()::text,"
            + " pg_walfile_name(pg_current_wal_insert_lsn())";
    private static final int ROUND = 100;

    private CommitTokenBench() {
    }

    /** One transaction of a variant; returns its round trips. */
    @FunctionalInterface
    private interface Transaction {
        int run() throws SQLException;
    }

    private record Variant(String key, String label, Transaction transaction, long[] nanos) {
    }

    public static void main(String[] args) throws Exception {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int withLatency = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1);
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            cluster.primary().execute("create table bench_commit (id bigserial primary key, variant text not null)");
            cluster.primary().execute("grant all on bench_commit, bench_commit_id_seq to " + cluster.user());
            cluster.awaitReplication(Duration.ofSeconds(30));
            System.out.printf("Commit token cost: single-row INSERT transactions, one thread, variants alternated in"
                    + " rounds of %d%n", ROUND);

            pass(cluster, cluster.primary().jdbcUrl(), transactions, Math.max(200, transactions / 3),
                    "loopback, no added latency");
            PgNode primary = cluster.primary();
            primary.proxy().latency(latency);
            pass(cluster, primary.proxiedJdbcUrl(), withLatency, Math.max(50, withLatency / 5),
                    "through the TCP proxy, +" + latency.toMillis() + " ms each way");
        }
    }

    private static void pass(EmbeddedPostgresCluster cluster, String primaryUrl, int transactions, int warmUp,
                             String title) throws SQLException {
        PgNode replica = cluster.replicas().get(0);
        RoutingConfig config = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", primaryUrl))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(PoolSettings.builder().maximumPoolSize(2).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(1).build())
                .build();
        HikariConfig plain = new HikariConfig();
        plain.setPoolName("bench-jdbc");
        plain.setJdbcUrl(primaryUrl);
        plain.setUsername(cluster.user());
        plain.setPassword(cluster.password());
        plain.setMaximumPoolSize(2);
        plain.setMinimumIdle(2);
        try (Database db = Junction.builder().router(ClusterRouter.create(config)).build();
             HikariDataSource pool = new HikariDataSource(plain)) {
            List<Variant> variants = List.of(
                    new Variant("a", "Database.write (commit + position, one round trip)", () -> {
                        Commit<Integer> c = db.write(ctx -> ctx.execute(INSERT, "a"));
                        return c.report().roundTrips();
                    }, new long[transactions]),
                    new Variant("b", "JDBC commit, no position", () -> jdbc(pool, "b", false, false),
                            new long[transactions]),
                    new Variant("c", "JDBC commit, then select position", () -> jdbc(pool, "c", true, false),
                            new long[transactions]),
                    new Variant("d", "JDBC \"COMMIT; SELECT position\", one message", () -> jdbc(pool, "d", false,
                            true), new long[transactions]));
            int[] roundTrips = new int[variants.size()];
            for (int i = 0; i < variants.size(); i++) {
                for (int t = 0; t < warmUp; t++) {
                    roundTrips[i] = variants.get(i).transaction().run();
                }
            }
            for (int done = 0, round = 0; done < transactions; done += ROUND, round++) {
                int size = Math.min(ROUND, transactions - done);
                for (int k = 0; k < variants.size(); k++) {
                    Variant v = variants.get((k + round) % variants.size()); // rotate who goes first
                    for (int t = 0; t < size; t++) {
                        long started = System.nanoTime();
                        v.transaction().run();
                        v.nanos()[done + t] = System.nanoTime() - started;
                    }
                }
            }

            System.out.printf("%nPass: %s; %,d transactions per variant after %,d warm-up%n", title, transactions,
                    warmUp);
            System.out.printf("   %-52s %11s %11s %9s %12s%n", "variant", "round trips", "median µs", "p99 µs",
                    "median vs a");
            double medianA = Latencies.of(variants.get(0).nanos()).medianNanos();
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                Latencies latencies = Latencies.of(v.nanos());
                double median = latencies.medianNanos();
                System.out.printf("%s  %-52s %11d %11.0f %9.0f %12s%n", v.key(), v.label(), roundTrips[i],
                        median / 1e3, latencies.percentileNanos(0.99) / 1e3,
                        i == 0 ? "1.00" : String.format("%s/a = %.2f", v.key(), median / medianA));
            }
        }
    }

    /**
     * One INSERT transaction on plain JDBC: BEGIN travels with the INSERT, then the commit, optionally followed by a
     * separate position query ({@code separatePosition}) or sent with it in one message ({@code oneMessage}).
     */
    private static int jdbc(HikariDataSource pool, String variant, boolean separatePosition, boolean oneMessage)
            throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, variant);
                insert.executeUpdate();
            }
            int roundTrips = 2;
            if (oneMessage) {
                try (Statement s = c.createStatement()) {
                    boolean hasResult = s.execute(COMMIT_AND_POSITION);
                    while (!hasResult) {
                        if (s.getUpdateCount() == -1) {
                            throw new SQLException("no WAL position after COMMIT");
                        }
                        hasResult = s.getMoreResults();
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        rs.next();
                        rs.getString(1);
                    }
                }
            } else {
                c.commit();
            }
            c.setAutoCommit(true); // idle after the commit: pgjdbc sends nothing
            if (separatePosition) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(POSITION)) {
                    rs.next();
                    rs.getString(1);
                }
                roundTrips++;
            }
            return roundTrips;
        }
    }
}
