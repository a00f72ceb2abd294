package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misconfigurations that only the servers can reveal are refused when the router is built (issue 3). */
@WithEmbeddedCluster(replicas = 1, settings = "max_connections=40")
class StartupChecksIT {

    @AfterEach
    void nothingIsLeftConnected(EmbeddedPostgresCluster cluster) {
        // A refused configuration must not leave pools or monitor connections behind.
        Clusters.awaitOr(Duration.ofSeconds(10), "no junction connection is left", () -> cluster.nodes().stream()
                .allMatch(n -> ((Long) n.queryValue("select count(*) from pg_stat_activity"
                        + " where application_name = 'junction' and pid <> pg_backend_pid()")) == 0L),
                () -> "connections still open");
    }

    private static RoutingConfig.Builder base(EmbeddedPostgresCluster cluster) {
        return RoutingConfig.builder().credentials(cluster.user(), cluster.password());
    }

    @Test
    void aReplicaThatIsAPrimaryIsRefusedNamingTheNodeAndTheFix(EmbeddedPostgresCluster cluster) {
        // The proxy gives the primary a second address, so this is not caught as "listed twice".
        RoutingConfig config = base(cluster)
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica("reporting", cluster.primary().proxiedJdbcUrl()))
                .build();

        assertThatThrownBy(() -> ClusterRouter.create(config)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[1].role")
                .hasMessageContaining("node 'reporting'")
                .hasMessageContaining("is configured as a replica but is not in recovery")
                .hasMessageContaining("point nodes[1].url at a standby");
    }

    @Test
    void aPrimaryThatIsInRecoveryIsRefused(EmbeddedPostgresCluster cluster) {
        RoutingConfig config = base(cluster)
                .node(NodeConfig.primary("primary", cluster.replicas().get(0).jdbcUrl()))
                .build();

        assertThatThrownBy(() -> ClusterRouter.create(config)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[0].role")
                .hasMessageContaining("is configured as the primary but is in recovery");
    }

    @Test
    void aConnectionBudgetOverMaxConnectionsIsRefusedShowingTheArithmetic(EmbeddedPostgresCluster cluster) {
        RoutingConfig config = Clusters.config(cluster)
                .primaryPool(PoolSettings.builder().maximumPoolSize(10).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(10).build())
                .appInstances(4)
                .build();

        // (10 + 1 monitor) x 4 = 44 > 40 - 3 superuser_reserved_connections - 3 reservedConnections = 34
        assertThatThrownBy(() -> ClusterRouter.create(config)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connection budget exceeded on node 'primary'")
                .hasMessageContaining("(pools 1 x 10 connections + 1 monitor connection) x 4 app instances = 44 >"
                        + " max_connections 40 - superuser_reserved_connections 3")
                .hasMessageContaining("reservedConnections 3 = 34")
                .hasMessageContaining("lower maximumPoolSize, appInstances or raise max_connections");
    }

    @Test
    void aBudgetThatFitsStarts(EmbeddedPostgresCluster cluster) {
        RoutingConfig config = Clusters.config(cluster)
                .primaryPool(PoolSettings.builder().maximumPoolSize(10).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(10).build())
                .appInstances(3)
                .build();
        try (ClusterRouter router = ClusterRouter.create(config)) {
            assertThat(router.topology().snapshot()).allMatch(NodeStatus::eligible);
        }
    }

    @Test
    void anUnreachableNodeIsRefusedUnlessSkippingIsAllowed(EmbeddedPostgresCluster cluster) throws IOException {
        String nowhere = "jdbc:postgresql://127.0.0.1:" + freePort() + "/" + cluster.database();
        RoutingConfig.Builder config = Clusters.config(cluster).node(NodeConfig.replica("gone", nowhere));

        assertThatThrownBy(() -> ClusterRouter.create(config.build())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[2].url")
                .hasMessageContaining("node 'gone'")
                .hasMessageContaining("is not reachable at start-up")
                .hasMessageContaining("startup.skipDownNodes: true");

        try (ClusterRouter router = ClusterRouter.create(config.skipDownNodesAtStart(true).build())) {
            NodeStatus gone = Clusters.status(router, "gone");
            assertThat(gone.up()).isFalse();
            assertThat(gone.eligible()).isFalse();
            assertThat(Clusters.status(router, "replica-1").eligible()).isTrue();
        }
    }

    @Test
    void aRefusedLoginIsReportedWithoutThePassword(EmbeddedPostgresCluster cluster) {
        RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), "wrong-secret-123")
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl())).build();

        assertThatThrownBy(() -> ClusterRouter.create(config)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("refused the connection")
                .hasMessageContaining("check credentials.user and credentials.password")
                .hasMessageNotContaining("wrong-secret-123");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
