package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the node pools hand to pgJDBC (issue 9): replica pools are read-only at the server, not only by convention,
 * and TLS parameters in a node URL reach the driver of the pool. Checked against the primary, a server that would
 * accept writes and that has no TLS, so each setting is the only thing that can make the outcome differ.
 */
@WithEmbeddedCluster(replicas = 0)
class PoolDriverSettingsIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table pool_settings (id int primary key)");
        cluster.primary().execute("grant all on pool_settings to " + cluster.user());
    }

    private static HikariDataSource pool(EmbeddedPostgresCluster cluster, NodeConfig node) {
        RoutingConfig routing = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl())).build();
        PoolSettings small = PoolSettings.builder().maximumPoolSize(1).minimumIdle(0)
                .connectionTimeout(Duration.ofMillis(1_500)).build();
        return new HikariDataSource(PoolConfigs.hikariConfig(node, small, routing));
    }

    @Test
    void aReplicaPoolRefusesWritesAtTheServerEvenInAutocommitOnAWritableServer(EmbeddedPostgresCluster cluster)
            throws SQLException {
        // The replica's pool pointed at the primary: only the pool's own settings can refuse the write.
        try (HikariDataSource replicaPool = pool(cluster, NodeConfig.replica("replica-1", cluster.primary().jdbcUrl()));
             Connection c = replicaPool.getConnection(); Statement s = c.createStatement()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.isReadOnly()).isTrue();
            assertThatThrownBy(() -> s.executeUpdate("insert into pool_settings values (1)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
            try (ResultSet rs = s.executeQuery("show transaction_read_only")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
        }
        try (HikariDataSource primaryPool = pool(cluster, NodeConfig.primary("primary", cluster.primary().jdbcUrl()));
             Connection c = primaryPool.getConnection(); Statement s = c.createStatement()) {
            assertThat(c.isReadOnly()).isFalse();
            assertThat(s.executeUpdate("insert into pool_settings values (2)")).isEqualTo(1);
        }
        assertThat(cluster.primary().queryValue("select count(*) from pool_settings")).isEqualTo(1L);
    }

    @Test
    void tlsParametersInTheNodeUrlReachThePoolsDriver(EmbeddedPostgresCluster cluster) throws SQLException {
        String verifyFull = cluster.primary().jdbcUrl() + "?sslmode=verify-full&sslrootcert=/nonexistent/root.crt";
        try (HikariDataSource tls = pool(cluster, NodeConfig.primary("primary", verifyFull))) {
            assertThatThrownBy(tls::getConnection).isInstanceOf(SQLException.class)
                    .rootCause().asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                    .hasMessage("The server does not support SSL.");
        }
        try (HikariDataSource plain = pool(cluster, NodeConfig.primary("primary", cluster.primary().jdbcUrl()
                + "?sslmode=disable")); Connection c = plain.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void aDriverParameterInTheUrlWinsOverThePoolSetting(EmbeddedPostgresCluster cluster) throws SQLException {
        // The pool passes socketTimeout 0 (its default) as a property; pgJDBC lets the URL's value win.
        try (HikariDataSource pool = pool(cluster, NodeConfig.primary("primary", cluster.primary().jdbcUrl()
                + "?socketTimeout=7")); Connection c = pool.getConnection()) {
            assertThat(c.getNetworkTimeout()).isEqualTo(7_000);
        }
        try (HikariDataSource pool = pool(cluster, NodeConfig.primary("primary", cluster.primary().jdbcUrl()));
             Connection c = pool.getConnection()) {
            assertThat(c.getNetworkTimeout()).isZero();
        }
    }
}
