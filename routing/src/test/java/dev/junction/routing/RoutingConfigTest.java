package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.ConfigValidator;
import dev.junction.spi.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoutingConfigTest {

    private static RoutingConfig.Builder base() {
        return RoutingConfig.builder().credentials("app", "s3cret-pw")
                .node(NodeConfig.primary("primary", "jdbc:postgresql://db1:5432/app"))
                .node(NodeConfig.replica("replica-1", "jdbc:postgresql://db2:5432/app"));
    }

    @Test
    void poolSizeBelowOneIsRejectedAtOnceWithTheFieldName() {
        assertThatThrownBy(() -> PoolSettings.builder().maximumPoolSize(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maximumPoolSize must be >= 1, but was 0");
    }

    @Test
    void durationsAreCheckedAtOnce() {
        assertThatThrownBy(() -> RoutingConfig.builder().maxReplicaLag(Duration.ofMillis(-5)))
                .hasMessage("maxReplicaLag must be >= 0ms, but was -5ms");
        assertThatThrownBy(() -> PoolSettings.builder().connectionTimeout(Duration.ofMillis(100)))
                .hasMessage("connectionTimeout must be >= 250ms, but was 100ms");
        assertThatThrownBy(() -> RoutingConfig.builder().lagHysteresis(1.5))
                .hasMessageContaining("lagHysteresis must be > 0 and <= 1");
        assertThatThrownBy(() -> RoutingConfig.builder().appInstances(0))
                .hasMessage("appInstances must be >= 1, but was 0");
        assertThatThrownBy(() -> PoolSettings.builder().maximumPoolSize(5).minimumIdle(6).build())
                .hasMessage("minimumIdle must be <= maximumPoolSize (5), but was 6");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RoutingConfig c = base().build();
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.monitorInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.appInstances()).isEqualTo(1);
        assertThat(c.reservedConnections()).isEqualTo(3);
        assertThat(c.lagHysteresis()).isEqualTo(0.8);
        assertThat(c.slowReplicaFactor()).isEqualTo(5.0);
        assertThat(c.slowReplicaWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.selection()).isEqualTo(SelectionStrategy.ROUND_ROBIN);
        assertThat(c.fallback()).isEqualTo(FallbackPolicy.PRIMARY);
        assertThat(c.replicaPool().maximumPoolSize()).isEqualTo(10);
        assertThat(c.replicaPool().minimumIdle()).isEqualTo(10);
        assertThat(c.bulkhead().maxWaitingFor(10)).isEqualTo(10);
        assertThat(c.bulkhead().adaptive()).as("the adaptive limit is opt-in").isFalse();
    }

    @Test
    void passwordIsNeverInToString() {
        RoutingConfig c = base().build();
        assertThat(c.toString()).doesNotContain("s3cret-pw").contains("user=app").contains("password=****");
        assertThat(c.credentials().toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void nodeOverrideReplacesRoleDefaults() {
        PoolSettings small = PoolSettings.builder().maximumPoolSize(3).build();
        RoutingConfig c = base().node(NodeConfig.builder().name("replica-2").jdbcUrl("jdbc:postgresql://db3/app")
                .role(Role.REPLICA).pool(small).build()).build();
        assertThat(c.poolFor(c.nodes().get(2)).maximumPoolSize()).isEqualTo(3);
        assertThat(c.poolFor(c.nodes().get(1)).maximumPoolSize()).isEqualTo(10);
    }

    @Test
    void builderCopiesFromAnExistingConfig() {
        RoutingConfig c = base().appInstances(4).build();
        RoutingConfig copy = RoutingConfig.from(c).build();
        assertThat(copy).isEqualTo(c);
    }

    @Test
    void malformedUrlIsNamedWithTheExpectedForm() {
        RoutingConfig c = base().node(NodeConfig.replica("replica-2", "jdbc:postgres://x")).build();
        assertThatThrownBy(() -> ConfigValidator.check(c)).isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid routing configuration: nodes[2].url: 'jdbc:postgres://x' is not a PostgreSQL"
                        + " JDBC URL; expected jdbc:postgresql://host:port/database");
    }

    @Test
    void nodeListedTwiceByNameOrByAddressIsRefused() {
        RoutingConfig c = base().node(NodeConfig.replica("replica-1", "jdbc:postgresql://db3:5432/app"))
                .node(NodeConfig.replica("replica-3", "jdbc:postgresql://DB2:5432/app")).build();
        assertThatThrownBy(() -> ConfigValidator.check(c)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("nodes[2].name, nodes[1].name: node 'replica-1' is listed twice")
                .hasMessageContaining("nodes 'replica-1' and 'replica-3' both point at db2:5432/app");
    }

    @Test
    void exactlyOnePrimaryIsRequired() {
        RoutingConfig none = RoutingConfig.builder().credentials("app", "pw")
                .node(NodeConfig.replica("r1", "jdbc:postgresql://db2/app")).build();
        assertThatThrownBy(() -> ConfigValidator.check(none))
                .hasMessageContaining("no node has role primary (nodes: r1); mark exactly one node 'role: primary'");
        RoutingConfig two = base().node(NodeConfig.primary("other", "jdbc:postgresql://db9/app")).build();
        assertThatThrownBy(() -> ConfigValidator.check(two))
                .hasMessageContaining("nodes[0].role, nodes[2].role: nodes 'primary' and 'other' all have role"
                        + " primary; exactly one node may be the primary");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        RoutingConfig c = base().node(NodeConfig.replica("r2", "jdbc:postgresql://db3/app?password=hunter2"))
                .build();
        assertThatThrownBy(() -> ConfigValidator.check(c)).hasMessageContaining("carries credentials")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void failWithoutReplicasIsRefused() {
        RoutingConfig c = RoutingConfig.builder().credentials("app", "pw").fallback(FallbackPolicy.FAIL)
                .node(NodeConfig.primary("p", "jdbc:postgresql://db1/app")).build();
        assertThatThrownBy(() -> ConfigValidator.check(c)).hasMessageContaining("fallback: fallback FAIL without");
    }

    @Test
    void credentialsAreRequired() {
        assertThatThrownBy(() -> RoutingConfig.builder().node(NodeConfig.primary("p", "jdbc:postgresql://h/d"))
                .build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("credentials must be set");
    }
}
