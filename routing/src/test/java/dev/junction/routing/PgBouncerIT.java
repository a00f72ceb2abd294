package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.junction.Commit;
import dev.junction.ConfigurationException;
import dev.junction.Consistency;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Pair;
import dev.junction.Reported;
import dev.junction.lookup.LookupTable;
import dev.junction.lookup.Lookups;
import dev.junction.spi.Role;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgBouncer;
import dev.junction.testkit.PgNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Junction behind a real PgBouncer 1.18 in {@code pool_mode = transaction} (issue 11). PgBouncer gets one server
 * session per node ({@code default_pool_size = 1}), so every client connection of Junction's pools shares it: any
 * session state Junction left behind, or any server-side prepared statement it relied on, would show.
 */
class PgBouncerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Table<Record> ROLE = table(name("role"));
    private static final Field<String> CODE = field(name("code"), String.class);
    private static final Field<String> LABEL = field(name("label"), String.class);
    private static final LookupTable<String, Record> ROLES = LookupTable.of(ROLE, CODE);

    private static EmbeddedPostgresCluster cluster;
    private static PgBouncer bouncer;

    @BeforeAll
    static void start() {
        PgBouncer.assumeAvailable();
        cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
        cluster.primary().execute("create table notes (id bigserial primary key, body text not null)");
        cluster.primary().execute("create table role (code text primary key, label text not null)");
        cluster.primary().execute("insert into role values ('admin', 'Administrator'), ('user', 'User')");
        cluster.primary().execute("grant all on notes, notes_id_seq, role to " + cluster.user());
        cluster.awaitReplication(WAIT);
        bouncer = PgBouncer.builder(cluster).defaultPoolSize(1).start();
    }

    @AfterAll
    static void stop() {
        try {
            if (bouncer != null) {
                bouncer.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** Both nodes through PgBouncer, direct URLs for LISTEN, with the pooler declared (or not) for the topology. */
    private static RoutingConfig.Builder throughBouncer(Pooler pooler) {
        RoutingConfig.Builder b = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .monitorInterval(Duration.ofMillis(100))
                .primaryPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build())
                .pooler(pooler);
        PgNode primary = cluster.primary();
        PgNode replica = cluster.node("replica-1");
        b.node(NodeConfig.builder().name(primary.name()).jdbcUrl(bouncer.jdbcUrl(primary)).role(Role.PRIMARY)
                .directUrl(primary.jdbcUrl()).build());
        b.node(NodeConfig.builder().name(replica.name()).jdbcUrl(bouncer.jdbcUrl(replica)).role(Role.REPLICA)
                .directUrl(replica.jdbcUrl()).build());
        return b;
    }

    @Test
    void readsWritesParallelReadsAndTokenReadsWorkThroughPgBouncerInTransactionMode() throws SQLException {
        try (ClusterRouter router = ClusterRouter.create(throughBouncer(Pooler.PGBOUNCER_TRANSACTION).build());
             Database db = Junction.builder().router(router).build()) {
            List<Long> ids = new ArrayList<>();
            int replicaReads = 0;
            for (int i = 0; i < 30; i++) {
                String body = "through the bouncer " + i;
                // The same statements again and again: pgJDBC would prepare them on the server after five uses.
                Commit<Long> c = db.write(tx -> tx.fetchSingle("insert into notes (body) values (?) returning id",
                        body).get(0, Long.class));
                ids.add(c.value());
                assertThat(c.report().nodes().get(0).name()).isEqualTo("primary");
                Reported<String> seen = db.readReported(Consistency.after(c.token()),
                        ctx -> ctx.fetchSingle("select body from notes where id = ?", c.value()).get(0,
                                String.class));
                assertThat(seen.value()).isEqualTo(body);
                Reported<Long> count = db.readReported(ctx -> ((Number) ctx.fetchValue(
                        "select count(*) from notes where body like ?", "through the bouncer%")).longValue());
                if (count.report().nodes().get(0).name().equals("replica-1")) {
                    replicaReads++;
                }
                Pair<Long, Long> both = db.parallel(
                        ctx -> ((Number) ctx.fetchValue("select count(*) from notes where id <= ?", c.value()))
                                .longValue(),
                        ctx -> ((Number) ctx.fetchValue("select count(*) from role")).longValue());
                assertThat(both.second()).isEqualTo(2);
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(30);
            assertThat(replicaReads).isPositive();
            assertThat(router.tokenReads().total()).isGreaterThanOrEqualTo(30);
            assertThat(router.routingCounts()).containsKey("replica");
        }
        // PgBouncer lent its one server session on the primary to every write: the budget's settings were local to
        // each transaction and nothing outlived it.
        try (Connection c = DriverManager.getConnection(bouncer.jdbcUrl(cluster.primary()) + "?prepareThreshold=0",
                cluster.user(), cluster.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('statement_timeout'),"
                     + " current_setting('idle_in_transaction_session_timeout'),"
                     + " current_setting('transaction_timeout')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0");
            assertThat(rs.getString(2)).isEqualTo("0");
            assertThat(rs.getString(3)).isEqualTo("0");
        }
    }

    @Test
    void lookupInvalidationReachesAnotherInstanceThroughTheDirectListenerConnection() {
        try (ClusterRouter routerA = ClusterRouter.create(throughBouncer(Pooler.PGBOUNCER_TRANSACTION).build());
             Database a = Junction.builder().router(routerA).lookups(Lookups.builder().table(ROLES).build())
                     .build();
             ClusterRouter routerB = ClusterRouter.create(throughBouncer(Pooler.PGBOUNCER_TRANSACTION).build());
             Database b = Junction.builder().router(routerB).lookups(Lookups.builder().table(ROLES).build())
                     .build()) {
            Clusters.awaitOr(WAIT, "both listeners to listen", () -> a.lookups().stats().listening()
                    && b.lookups().stats().listening(), () -> a.lookups().stats() + " / " + b.lookups().stats());
            for (int round = 1; round <= 5; round++) {
                String label = "Admin #" + round;
                assertThat(b.lookups().get(ROLES).require("admin").get(LABEL)).isNotEqualTo(label); // cached
                a.write(tx -> tx.update(ROLE).set(LABEL, label).where(CODE.eq("admin")).execute());
                Clusters.awaitOr(WAIT, "instance B to see '" + label + "'",
                        () -> label.equals(b.lookups().get(ROLES).require("admin").get(LABEL)),
                        () -> b.lookups().stats().toString());
            }
            assertThat(b.lookups().stats().notifications()).isGreaterThanOrEqualTo(5);
            assertThat(b.lookups().stats().listenerConnects()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatStopsBehindPgBouncerIsMarkedDownAndReadsMoveToThePrimary() {
        PgNode replica = cluster.node("replica-1");
        try (ClusterRouter router = ClusterRouter.create(throughBouncer(Pooler.PGBOUNCER_TRANSACTION).build());
             Database db = Junction.builder().router(router).build()) {
            replica.stop();
            try {
                Clusters.await(router, WAIT, "replica-1 to be down", () -> !Clusters.status(router, "replica-1").up());
                System.out.println("behind PgBouncer, a stopped server shows as: "
                        + Clusters.status(router, "replica-1").lastError());
                for (int i = 0; i < 10; i++) {
                    Reported<Object> read = db.readReported(ctx -> ctx.fetchValue("select count(*) from role"));
                    assertThat(read.report().routeReasons()).containsExactly("fallback");
                }
            } finally {
                replica.start();
            }
            Clusters.await(router, WAIT, "replica-1 to serve reads again",
                    () -> Clusters.status(router, "replica-1").eligible());
        }
    }

    @Test
    void withoutThePoolerSettingTheMisconfigurationIsReportedWithTheSettingToUse() {
        try (ClusterRouter router = ClusterRouter.create(throughBouncer(Pooler.NONE).build());
             Database db = Junction.builder().router(router).build()) {
            // Two client connections at a time share PgBouncer's one server session; each prepares its own "S_1"
            // there once it has run the statement five times, and the second finds the first one's.
            AtomicInteger rounds = new AtomicInteger();
            while (rounds.incrementAndGet() <= 200) {
                try {
                    db.parallel(ctx -> ctx.fetchValue("select count(*) from role where code <> ?", "x"),
                            ctx -> ctx.fetchValue("select count(*) from role where code <> ?", "x"));
                } catch (ConfigurationException e) {
                    assertThat(e).hasMessageMatching("(?s)node '(primary|replica-1)' answered 'prepared statement"
                            + " \"S_\\d+\" (does not exist|already exists)' \\(SQLState (26000|42P05)\\).*")
                            .hasMessageContaining("transaction-mode connection pooler such as PgBouncer")
                            .hasMessageContaining("'pooler: pgbouncer-transaction'")
                            .hasMessageContaining("prepareThreshold=0");
                    return;
                }
            }
            fail("200 parallel reads through PgBouncer without prepareThreshold=0 never lost a prepared statement");
        }
    }
}
