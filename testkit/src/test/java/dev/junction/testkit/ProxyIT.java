package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real PostgreSQL node: latency and cuts as a JDBC client sees them (issue 2). */
@WithEmbeddedCluster(replicas = 0)
class ProxyIT {

    @AfterEach
    void restore(EmbeddedPostgresCluster cluster) {
        cluster.primary().proxy().latency(Duration.ZERO);
        cluster.primary().proxy().restore();
    }

    @Test
    void addsTheConfiguredLatencyToEveryRoundTrip(EmbeddedPostgresCluster cluster) throws Exception {
        PgNode node = cluster.primary();
        long direct = medianRoundTripNanos(node.jdbcUrl(), cluster);
        node.proxy().latency(Duration.ofMillis(5));
        long proxied = medianRoundTripNanos(node.proxiedJdbcUrl(), cluster);

        // 5 ms each way: every round trip pays at least 10 ms more than the direct one. A lower bound only: how much
        // longer a busy machine takes is noise, not the proxy (issue 24).
        assertThat(proxied - direct).isGreaterThanOrEqualTo(Duration.ofMillis(10).toNanos());
    }

    @Test
    void refusingMakesConnectsFailFastWithAConnectionError(EmbeddedPostgresCluster cluster) {
        PgNode node = cluster.primary();
        node.proxy().refuse();
        // Generous timeouts: a refused connect must fail on its own, told so by the network (a reset, a
        // SocketException), not by running into a timeout (a SocketTimeoutException); checked by the cause, not by a
        // clock (issue 24).
        assertThatThrownBy(() -> connect(node.proxiedJdbcUrl() + "?connectTimeout=20&socketTimeout=20", cluster))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"))
                .hasRootCauseInstanceOf(SocketException.class);
    }

    @Test
    void blackholingMakesOnlyTimeoutsEndAConnect(EmbeddedPostgresCluster cluster) {
        PgNode node = cluster.primary();
        node.proxy().blackhole();
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(node.proxiedJdbcUrl() + "?socketTimeout=1&loginTimeout=2", cluster))
                .isInstanceOf(SQLException.class);
        // The client waited for its own timeout: nothing in the network told it to stop earlier.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void restoringLetsNewConnectionsThrough(EmbeddedPostgresCluster cluster) throws Exception {
        PgNode node = cluster.primary();
        node.proxy().refuse();
        node.proxy().restore();
        try (Connection c = connect(node.proxiedJdbcUrl(), cluster); Statement s = c.createStatement()) {
            assertThat(s.execute("select 1")).isTrue();
        }
    }

    private static long medianRoundTripNanos(String url, EmbeddedPostgresCluster cluster) throws SQLException {
        try (Connection c = connect(url, cluster); Statement s = c.createStatement()) {
            long[] samples = new long[15];
            for (int i = 0; i < samples.length; i++) {
                long t = System.nanoTime();
                s.execute("select 1");
                samples[i] = System.nanoTime() - t;
            }
            Arrays.sort(samples);
            return samples[samples.length / 2];
        }
    }

    private static Connection connect(String url, EmbeddedPostgresCluster cluster) throws SQLException {
        return DriverManager.getConnection(url, cluster.user(), cluster.password());
    }
}
