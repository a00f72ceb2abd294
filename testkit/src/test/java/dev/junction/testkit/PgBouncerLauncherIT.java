package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testkit's PgBouncer: transaction pooling in front of the nodes, stopped and cleaned up by close (issue 11). */
@WithEmbeddedCluster(replicas = 1)
class PgBouncerLauncherIT {

    @BeforeAll
    static void needsPgBouncer() {
        PgBouncer.assumeAvailable();
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void itPoolsByTransactionInFrontOfEveryNodeAndCloseStopsItAndDeletesItsFiles(EmbeddedPostgresCluster cluster)
            throws SQLException {
        PgBouncer bouncer = PgBouncer.builder(cluster).defaultPoolSize(1).start();
        try {
            assertThat(bouncer.isRunning()).isTrue();
            assertThat(bouncer.jdbcUrl(cluster.node("replica-1"))).endsWith(":" + bouncer.port() + "/replica_1");
            String url = bouncer.jdbcUrl(cluster.primary()) + "?prepareThreshold=0";
            try (Connection a = DriverManager.getConnection(url, cluster.user(), cluster.password());
                 Connection b = DriverManager.getConnection(url, cluster.user(), cluster.password())) {
                // One server session behind two clients: a session-level SET by one is seen by the other. This is
                // exactly what Junction must never rely on or leave behind.
                try (Statement s = a.createStatement()) {
                    s.execute("set statement_timeout = '4321ms'");
                }
                assertThat(setting(b, "statement_timeout")).isEqualTo("4321ms");
                try (Statement s = a.createStatement()) {
                    s.execute("reset statement_timeout");
                }
            }
            try (Connection r = DriverManager.getConnection(bouncer.jdbcUrl(cluster.node("replica-1"))
                    + "?prepareThreshold=0", cluster.user(), cluster.password());
                 Statement s = r.createStatement(); ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        } finally {
            bouncer.close();
        }
        assertThat(bouncer.isRunning()).isFalse();
        assertThat(bouncer.logFile().getParent()).doesNotExist();
    }
}
