package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: RoutingConfig is a config type with a builder, {@code from} and value equality; it has no
 * {@code defaults()}, since the credentials are mandatory ({@link RoutingConfigTest} checks the documented defaults
 * of every option).
 */
class RoutingConfigBuilderTest {
    private static final NodeConfig PRIMARY = NodeConfig.primary("primary", "jdbc:postgresql://db1:5432/app");
    private static final NodeConfig REPLICA = NodeConfig.replica("replica-1", "jdbc:postgresql://db2:5432/app");
    private static final PoolSettings SMALL = PoolSettings.builder().maximumPoolSize(4).build();

    /** Every option away from its default, so a field that {@code from} drops shows. */
    private static final RoutingConfig FULL = RoutingConfig.builder().credentials("app", "s3cret-pw")
            .node(PRIMARY).node(REPLICA)
            .primaryPool(SMALL).replicaPool(PoolSettings.builder().maximumPoolSize(6).build())
            .selection(SelectionStrategy.LEAST_OUTSTANDING).fallback(FallbackPolicy.FAIL)
            .maxReplicaLag(Duration.ofSeconds(2)).maxReplicaLagBytes(1024).lagHysteresis(0.5)
            .monitorInterval(Duration.ofMillis(250)).monitorTimeout(Duration.ofSeconds(2)).appInstances(3)
            .reservedConnections(5).skipDownNodesAtStart(true)
            .circuitBreaker(CircuitBreakerSettings.builder().minimumCalls(9).build())
            .bulkhead(BulkheadSettings.builder().maxWaiting(2).build())
            .consistency(ConsistencySettings.builder().maxWait(Duration.ZERO).build())
            .pooler(Pooler.PGBOUNCER_TRANSACTION).splitBrain(SplitBrainPolicy.REFUSE_WRITES)
            .database(DatabaseSettings.builder().parallelism(2).build()).build();

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, RoutingConfig::from, RoutingConfig.Builder::build,
                Map.<String, UnaryOperator<RoutingConfig.Builder>>ofEntries(
                        entry("nodes", b -> b.nodes(List.of(PRIMARY))),
                        entry("credentials", b -> b.credentials("app", "rotated-pw")),
                        entry("primaryPool", b -> b.primaryPool(PoolSettings.defaults())),
                        entry("replicaPool", b -> b.replicaPool(SMALL)),
                        entry("selection", b -> b.selection(SelectionStrategy.RANDOM)),
                        entry("fallback", b -> b.fallback(FallbackPolicy.PRIMARY)),
                        entry("maxReplicaLag", b -> b.maxReplicaLag(Duration.ofSeconds(3))),
                        entry("maxReplicaLagBytes", b -> b.maxReplicaLagBytes(2048)),
                        entry("lagHysteresis", b -> b.lagHysteresis(1)),
                        entry("monitorInterval", b -> b.monitorInterval(Duration.ofMillis(50))),
                        entry("monitorTimeout", b -> b.monitorTimeout(Duration.ofSeconds(1))),
                        entry("appInstances", b -> b.appInstances(1)),
                        entry("reservedConnections", b -> b.reservedConnections(0)),
                        entry("skipDownNodesAtStart", b -> b.skipDownNodesAtStart(false)),
                        entry("circuitBreaker", b -> b.circuitBreaker(CircuitBreakerSettings.defaults())),
                        entry("bulkhead", b -> b.bulkhead(BulkheadSettings.defaults())),
                        entry("consistency", b -> b.consistency(ConsistencySettings.defaults())),
                        entry("pooler", b -> b.pooler(Pooler.NONE)),
                        entry("splitBrain", b -> b.splitBrain(SplitBrainPolicy.NEWEST_TIMELINE)),
                        entry("database", b -> b.database(DatabaseSettings.defaults()))));
    }

    @Test
    void aCopyOwnsItsNodeList() {
        RoutingConfig.Builder b = RoutingConfig.from(FULL);
        RoutingConfig before = b.build();
        b.node(NodeConfig.replica("replica-2", "jdbc:postgresql://db3:5432/app"));
        assertThat(before.nodes()).hasSize(2);
        assertThat(FULL.nodes()).hasSize(2);
        assertThatThrownBy(() -> FULL.nodes().add(PRIMARY)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void thePasswordIsNeverInToString() {
        assertThat(FULL.toString()).doesNotContain("s3cret-pw").contains("password=****");
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        RoutingConfig.Builder b = RoutingConfig.builder();
        assertThatThrownBy(() -> b.maxReplicaLag(Duration.ofMillis(-5))).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxReplicaLag must be >= 0ms, but was -5ms");
        assertThatThrownBy(() -> b.maxReplicaLagBytes(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxReplicaLagBytes must be >= 0, but was -1");
        assertThatThrownBy(() -> b.lagHysteresis(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("lagHysteresis must be > 0 and <= 1 (a fraction of maxReplicaLag), but was 0.0");
        assertThatThrownBy(() -> b.lagHysteresis(1.5)).isInstanceOf(ConfigurationException.class)
                .hasMessage("lagHysteresis must be > 0 and <= 1 (a fraction of maxReplicaLag), but was 1.5");
        assertThatThrownBy(() -> b.monitorInterval(Duration.ofMillis(49))).isInstanceOf(ConfigurationException.class)
                .hasMessage("monitorInterval must be >= 50ms, but was 49ms");
        assertThatThrownBy(() -> b.monitorTimeout(Duration.ofMillis(999))).isInstanceOf(ConfigurationException.class)
                .hasMessage("monitorTimeout must be >= 1s, but was 999ms");
        assertThatThrownBy(() -> b.appInstances(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("appInstances must be >= 1, but was 0");
        assertThatThrownBy(() -> b.reservedConnections(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("reservedConnections must be >= 0, but was -1");
        assertThatThrownBy(() -> b.credentials(" ", "pw")).isInstanceOf(ConfigurationException.class)
                .hasMessage("user must not be blank, but was ' '");
        assertThatThrownBy(() -> b.node(null)).isInstanceOf(NullPointerException.class).hasMessage("node");
        assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
                .hasMessage("credentials must be set: call credentials(user, password) (or set JUNCTION_USER and"
                        + " JUNCTION_PASSWORD when loading junction.yaml)");
    }

    @Test
    void theFileIsCheckedByTheSameSettersAndSaysWhereTheValueIs() {
        String yaml = """
                credentials: {user: app}
                nodes:
                  - {name: primary, url: "jdbc:postgresql://db1/app", role: primary}
                monitor:
                  timeout: 999ms
                """;
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "junction.yaml", Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("junction.yaml:5: monitor.timeout: must be >= 1s, but was 999ms");
    }
}
