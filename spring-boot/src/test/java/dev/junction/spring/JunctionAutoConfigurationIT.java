package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Database;
import dev.junction.LintViolationException;
import dev.junction.routing.ConfigLoader;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The starter in a real Boot context on an embedded primary with two replicas, configured by properties alone. */
@WithEmbeddedCluster(replicas = 2)
class JunctionAutoConfigurationIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute(TestApp.SCHEMA);
        cluster.primary().execute("grant all on note to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    @Test
    void readsRunOnAReplicaAndWritesOnThePrimaryWithNothingButProperties(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = TestApp.start(TestApp.properties(cluster),
                WebApplicationType.NONE)) {
            Database db = context.getBean(Database.class);
            boolean readInRecovery = db.read(TestApp::inRecovery);
            boolean writeInRecovery = db.write(TestApp::inRecovery).value();
            assertThat(readInRecovery).as("db.read ran on a replica").isTrue();
            assertThat(writeInRecovery).as("db.write ran on the primary").isFalse();
        }
    }

    @Test
    void theMigrationDataSourceIsThePrimaryAndBootsFlywayMigratesIt(EmbeddedPostgresCluster cluster) {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("spring.flyway.enabled", true);
        p.put("spring.flyway.locations", "classpath:db/it");
        // The schema already holds the other tests' table.
        p.put("spring.flyway.baseline-on-migrate", true);
        p.put("spring.flyway.baseline-version", "0");
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.NONE)) {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(new JdbcTemplate(dataSource).queryForObject("select pg_is_in_recovery()", Boolean.class))
                    .isFalse();
            assertThat(cluster.primary().queryValue("select count(*) from flyway_marker")).isEqualTo(1L);
        }
    }

    @Test
    void theRoutingMeterAndThePoolAndBreakerMetersAreInTheRegistry(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = TestApp.start(TestApp.properties(cluster),
                WebApplicationType.NONE)) {
            context.getBean(Database.class).read(ctx -> ctx.fetchValue("select 1"));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("junction.route").tag("reason", "replica").functionCounter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(registry.find("hikaricp.connections").tag("pool", "junction-primary").gauges()).isNotEmpty();
            assertThat(registry.find("resilience4j.circuitbreaker.state").gauges()).isNotEmpty();
            assertThat(registry.find("junction.breaker.state").gauges()).hasSize(3);
            assertThat(registry.find("junction.unit.duration").tag("kind", "read").tag("outcome", "success")
                    .timer().count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aWriteInsideASpringTransactionIsRefusedAndWritesNothing(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = TestApp.start(TestApp.properties(cluster),
                WebApplicationType.NONE)) {
            Database db = context.getBean(Database.class);
            TransactionTemplate tx = context.getBean(TransactionTemplate.class);
            assertThatThrownBy(() -> tx.executeWithoutResult(status -> db.write(ctx -> ctx.execute(
                    "insert into note (id, body) values (1001, 'inside')"))))
                    .isInstanceOf(WriteInSpringTransactionException.class)
                    .hasMessageContaining("Propagation.NOT_SUPPORTED");
            assertThat(cluster.primary().queryValue("select count(*) from note where id = 1001")).isEqualTo(0L);
            db.write(ctx -> ctx.execute("insert into note (id, body) values (1002, 'outside')"));
            assertThat(cluster.primary().queryValue("select count(*) from note where id = 1002")).isEqualTo(1L);
        }
    }

    @Test
    void theDatabaseOptionsComeFromTheJunctionDatabaseProperties(EmbeddedPostgresCluster cluster) {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.database.lints.write-without-writes", "strict");
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.NONE)) {
            Database db = context.getBean(Database.class);
            assertThatThrownBy(() -> db.write(ctx -> ctx.fetchValue("select 1")))
                    .isInstanceOf(LintViolationException.class);
        }
    }

    @Test
    void closingTheContextLeavesNoJunctionThreadAndNoConnection(EmbeddedPostgresCluster cluster)
            throws InterruptedException {
        ConfigurableApplicationContext context = TestApp.start(TestApp.properties(cluster), WebApplicationType.NONE);
        Database db = context.getBean(Database.class);
        db.read(ctx -> ctx.fetchValue("select 1"));
        db.write(ctx -> ctx.fetchValue("select 1"));
        assertThat(junctionThreads()).as("running before the close").isNotEmpty();
        assertThat(junctionSessions(cluster)).as("connected before the close").isNotEmpty();
        context.close();
        // HikariCP's shutdownNow leaves its housekeeper thread a moment to run out; give the threads that are
        // ending the time to end (bounded only against a hang), then none may be left.
        awaitEnd();
        assertThat(junctionThreads()).isEmpty();
        assertThat(junctionSessions(cluster)).isEmpty();
    }

    @Test
    void theSameOptionsFromJunctionYamlAndFromPropertiesGiveEqualRoutingConfigs(EmbeddedPostgresCluster cluster,
                                                                                @TempDir Path dir)
            throws Exception {
        PgNode replica = cluster.replicas().get(0);
        Path yaml = dir.resolve("junction.yaml");
        Files.writeString(yaml, """
                credentials: {user: %s, password: %s}
                nodes:
                  - {name: primary, url: "%s", role: primary}
                  - {name: %s, url: "%s", role: replica, pool: {maximumPoolSize: 1}}
                pool:
                  primary: {maximumPoolSize: 3, connectionTimeout: 2s}
                  replica: {maximumPoolSize: 2, socketTimeout: 30s}
                selection: least-outstanding
                fallback: fail
                replicaLag: {max: 2s, maxBytes: 64MB, hysteresis: 0.5}
                monitor: {interval: 100ms, timeout: 2s}
                appInstances: 2
                reservedConnections: 4
                startup: {skipDownNodes: true}
                resilience:
                  circuitBreaker: {failureRateThreshold: 25, minimumCalls: 3, waitInOpenState: 1s}
                  bulkhead: {maxWaiting: 0}
                consistency: {mode: time, maxWait: 50ms, primaryWindow: 3s}
                """.formatted(cluster.user(), cluster.password(), cluster.primary().jdbcUrl(), replica.name(),
                replica.jdbcUrl()));
        Map<String, Object> p = TestApp.properties(cluster);
        p.keySet().removeIf(k -> k.startsWith("junction.nodes[2]"));
        p.putAll(Map.ofEntries(Map.entry("junction.nodes[1].pool.maximum-pool-size", 1),
                Map.entry("junction.pool.primary.connection-timeout", "2s"),
                Map.entry("junction.pool.replica.socket-timeout", "30s"),
                Map.entry("junction.selection", "least-outstanding"), Map.entry("junction.fallback", "fail"),
                Map.entry("junction.replica-lag.max", "2s"), Map.entry("junction.replica-lag.max-bytes", "64MB"),
                Map.entry("junction.replica-lag.hysteresis", "0.5"), Map.entry("junction.monitor.timeout", "2s"),
                Map.entry("junction.app-instances", 2), Map.entry("junction.reserved-connections", 4),
                Map.entry("junction.startup.skip-down-nodes", true),
                Map.entry("junction.resilience.circuit-breaker.failure-rate-threshold", 25),
                Map.entry("junction.resilience.circuit-breaker.minimum-calls", 3),
                Map.entry("junction.resilience.circuit-breaker.wait-in-open-state", "1s"),
                Map.entry("junction.resilience.bulkhead.max-waiting", 0),
                Map.entry("junction.consistency.mode", "time"), Map.entry("junction.consistency.max-wait", "50ms"),
                Map.entry("junction.consistency.primary-window", "3s")));
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.NONE)) {
            assertThat(context.getBean(RoutingConfig.class)).isEqualTo(ConfigLoader.load(yaml));
        }
    }

    static void awaitEnd() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("junction") && !t.getName().startsWith("junction-testkit")) {
                t.join(Duration.ofSeconds(30));
            }
        }
    }

    /** Live platform threads that Junction started: the monitor and the pools' HikariCP threads. */
    static List<String> junctionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("junction") && !n.startsWith("junction-testkit"))
                .collect(Collectors.toList());
    }

    /** Sessions of Junction's pools, monitor and admin DataSource on any node. */
    static List<Object> junctionSessions(EmbeddedPostgresCluster cluster) {
        return cluster.nodes().stream().flatMap(n -> n.query("select application_name from pg_stat_activity where"
                + " application_name like 'junction%'").stream()).map(r -> r.get("application_name")).toList();
    }
}
