package dev.junction.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.routing.ConfigLoader;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SelectionStrategy;
import dev.junction.spi.Role;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Loads {@code junction.example.yaml}, the complete example of {@code docs/configuration.md}, so that the documented
 * file, its values and the documented Java equivalent cannot drift from what the loader does.
 */
class ConfigExampleTest {
    private static final Map<String, String> ENV = Map.of("JUNCTION_PASSWORD", "s3cret-from-env");

    private static Path example() throws URISyntaxException {
        URL url = Objects.requireNonNull(ConfigExampleTest.class.getResource("/junction.example.yaml"),
                "junction.example.yaml is not on the class path");
        return Path.of(url.toURI());
    }

    private static RoutingConfig load(Map<String, String> env) throws URISyntaxException {
        return ConfigLoader.load(example(), env);
    }

    @Test
    void nodesAndCredentials() throws Exception {
        RoutingConfig c = load(ENV);

        assertThat(c.credentials().user()).isEqualTo("orders_app");
        assertThat(c.credentials().password()).isEqualTo("s3cret-from-env");
        assertThat(c.toString()).doesNotContain("s3cret-from-env");
        assertThat(c.nodes()).extracting(NodeConfig::name).containsExactly("primary", "replica-1", "replica-2");
        assertThat(c.nodes()).extracting(NodeConfig::role).containsExactly(Role.PRIMARY, Role.REPLICA, Role.REPLICA);
        assertThat(c.nodes()).extracting(NodeConfig::jdbcUrl).containsExactly(
                "jdbc:postgresql://pg-1.db.internal:5432/orders",
                "jdbc:postgresql://pg-2.db.internal:5432/orders",
                "jdbc:postgresql://pg-3.db.internal:5432/orders");
    }

    @Test
    void poolsPerRoleAndTheNodeOverride() throws Exception {
        RoutingConfig c = load(ENV);

        PoolSettings primary = c.poolFor(c.nodes().get(0));
        assertThat(primary.maximumPoolSize()).isEqualTo(10);
        assertThat(primary.minimumIdle()).isEqualTo(10);
        assertThat(primary.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(primary.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(primary.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(primary.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(primary.socketTimeout()).isZero();

        PoolSettings replica1 = c.poolFor(c.nodes().get(1));
        assertThat(replica1).isEqualTo(c.replicaPool());
        assertThat(replica1.maximumPoolSize()).isEqualTo(16);
        assertThat(replica1.minimumIdle()).as("minimumIdle follows maximumPoolSize").isEqualTo(16);
        assertThat(replica1.connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(replica1.socketTimeout()).isEqualTo(Duration.ofSeconds(30));

        // replica-2 sets only maximumPoolSize; everything else comes from pool.replica.
        PoolSettings replica2 = c.poolFor(c.nodes().get(2));
        assertThat(replica2.maximumPoolSize()).isEqualTo(8);
        assertThat(replica2.minimumIdle()).isEqualTo(8);
        assertThat(replica2.connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(replica2.socketTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void routingLagMonitorBudgetAndResilience() throws Exception {
        RoutingConfig c = load(ENV);

        assertThat(c.selection()).isEqualTo(SelectionStrategy.LEAST_OUTSTANDING);
        assertThat(c.fallback()).isEqualTo(FallbackPolicy.PRIMARY);
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxReplicaLagBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.lagHysteresis()).isEqualTo(0.8);
        assertThat(c.monitorInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.monitorTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.appInstances()).as("the ${APP_INSTANCES:-4} default").isEqualTo(4);
        assertThat(c.reservedConnections()).isEqualTo(5);
        assertThat(c.skipDownNodesAtStart()).isFalse();
        assertThat(c.consistency()).isEqualTo(ConsistencySettings.defaults());
        assertThat(c.circuitBreaker()).isEqualTo(CircuitBreakerSettings.defaults());
        assertThat(c.bulkhead().maxWaiting()).isEqualTo(16);
        assertThat(c.bulkhead().maxWaitingFor(8)).as("one value for every pool").isEqualTo(16);
    }

    /** Issue 19: the database section, every key of it written out. */
    @Test
    void theDatabaseOptions() throws Exception {
        DatabaseSettings d = load(ENV).database();

        assertThat(d.transactionBudget()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.serverSideBudget()).isTrue();
        assertThat(d.parallelism()).isEqualTo(8);
        assertThat(d.slowStatementThreshold()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.slowStatementBindValues()).isFalse();
        assertThat(d.lints()).isEqualTo(Lints.builder().nPlusOne(LintMode.STRICT).nPlusOneThreshold(10).build());
        assertThat(d.lints().gapThreshold()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void environmentSubstitutionAndOverrides() throws Exception {
        RoutingConfig c = load(Map.of("JUNCTION_PASSWORD", "pw", "APP_INSTANCES", "6",
                "JUNCTION_USER", "orders_ops",
                "JUNCTION_NODE_REPLICA_1_URL", "jdbc:postgresql://pg-9.db.internal:6432/orders"));

        assertThat(c.appInstances()).isEqualTo(6);
        assertThat(c.credentials().user()).isEqualTo("orders_ops");
        assertThat(c.nodes().get(1).jdbcUrl()).isEqualTo("jdbc:postgresql://pg-9.db.internal:6432/orders");
        assertThat(c.nodes().get(2).jdbcUrl()).isEqualTo("jdbc:postgresql://pg-3.db.internal:5432/orders");
    }

    @Test
    void aMissingPasswordVariableIsNamedWithFileAndLine() throws Exception {
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessage(example() + ":6: credentials.password: environment variable JUNCTION_PASSWORD is not"
                        + " set; set it, or give a default with ${JUNCTION_PASSWORD:-default}");
    }

    @Test
    void parsingTheTextGivesTheSameConfiguration() throws Exception {
        String yaml = Files.readString(example());

        assertThat(ConfigLoader.parse(yaml, "junction.yaml", ENV)).isEqualTo(load(ENV));
    }

    /** The Java builder calls shown in docs/configuration.md describe the same configuration as the file. */
    @Test
    void theDocumentedBuilderCallsGiveTheSameConfiguration() throws Exception {
        String password = ENV.get("JUNCTION_PASSWORD");
        // --- as in docs/configuration.md, "The same in Java" ---
        PoolSettings replicaPool = PoolSettings.builder()
                .maximumPoolSize(16)
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        RoutingConfig config = RoutingConfig.builder()
                .credentials("orders_app", password)
                .node(NodeConfig.primary("primary", "jdbc:postgresql://pg-1.db.internal:5432/orders"))
                .node(NodeConfig.replica("replica-1", "jdbc:postgresql://pg-2.db.internal:5432/orders"))
                .node(NodeConfig.builder().name("replica-2").jdbcUrl("jdbc:postgresql://pg-3.db.internal:5432/orders")
                        .role(Role.REPLICA).pool(PoolSettings.from(replicaPool).maximumPoolSize(8).build()).build())
                .primaryPool(PoolSettings.builder().connectionTimeout(Duration.ofSeconds(2)).build())
                .replicaPool(replicaPool)
                .selection(SelectionStrategy.LEAST_OUTSTANDING)
                .fallback(FallbackPolicy.PRIMARY)
                .maxReplicaLag(Duration.ofSeconds(2))
                .maxReplicaLagBytes(64L * 1024 * 1024)
                .monitorTimeout(Duration.ofSeconds(2))
                .appInstances(4)
                .reservedConnections(5)
                .bulkhead(BulkheadSettings.builder().maxWaiting(16).build())
                .database(DatabaseSettings.builder()
                        .transactionBudget(Duration.ofSeconds(2))
                        .slowStatementThreshold(Duration.ofMillis(500))
                        .lints(Lints.builder().nPlusOne(LintMode.STRICT).nPlusOneThreshold(10).build())
                        .build())
                .build();
        // --- end ---

        assertThat(config).isEqualTo(load(ENV));
    }

    /** docs/configuration.md shows this file verbatim; checked when the docs are next to the build. */
    @Test
    void theDocumentationShowsThisFileVerbatim() throws Exception {
        Path doc = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("configuration.md");
        assumeThat(Files.exists(doc)).as(doc + " exists").isTrue();

        assertThat(normalized(Files.readString(doc)))
                .contains("```yaml\n" + normalized(Files.readString(example())) + "```");
    }

    private static String normalized(String text) {
        return text.replace("\r\n", "\n");
    }
}
