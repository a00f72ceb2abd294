package dev.junction.lookup.internal;

import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Opens the listening connection, from the first source that offers one: {@link Lookups#listenerDataSource()}; the
 * router's {@link ConnectionRouter#openDedicatedPrimaryConnection() dedicated primary connection}; a pooled primary
 * lease from the router (then exchanged every {@link Lookups#listenerLeaseLifetime()}). Each new connection is named
 * {@value #APPLICATION_NAME} (so operators can find it in {@code pg_stat_activity}) and {@code LISTEN}s on the
 * channel before it is handed over. Thread-safe if the sources are.
 */
final class ListenerSessions {
    /** The {@code application_name} of listening connections. */
    static final String APPLICATION_NAME = "junction-lookup-listener";

    /** The source cannot provide a connection that can LISTEN at all; retrying will not help. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    private final Lookups config;
    private final ConnectionRouter router;

    ListenerSessions(Lookups config, ConnectionRouter router) {
        this.config = config;
        this.router = router;
    }

    /** A new connection, listening on {@code channel}. */
    ListenerSession open(String channel) throws SQLException, Unsupported {
        DataSource dataSource = config.listenerDataSource();
        if (dataSource != null) {
            return setUp(dataSource.getConnection(), null, "Lookups.listenerDataSource", channel);
        }
        Connection dedicated = router.openDedicatedPrimaryConnection();
        if (dedicated != null) {
            return setUp(dedicated, null, "the router's dedicated primary connection", channel);
        }
        Lease lease = router.acquire(RouteRequest.write());
        return setUp(lease.connection(), lease, "a pooled connection of node '" + lease.node().name()
                + "', exchanged every " + config.listenerLeaseLifetime(), channel);
    }

    private static ListenerSession setUp(Connection connection, @Nullable Lease lease, String source, String channel)
            throws SQLException, Unsupported {
        try {
            PGConnection pg;
            try {
                pg = connection.unwrap(PGConnection.class);
            } catch (SQLException e) {
                throw new Unsupported(source + " is not a pgJDBC connection (" + connection.getClass().getName()
                        + "), and only pgJDBC can receive notifications", e);
            }
            if (lease == null && !connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            String previousName;
            try (Statement s = connection.createStatement()) {
                try (ResultSet rs = s.executeQuery("select current_setting('application_name'),"
                        + " set_config('application_name', '" + APPLICATION_NAME + "', false)")) {
                    rs.next();
                    previousName = rs.getString(1);
                }
                // The channel is checked to be a lower-case identifier by Lookups.
                s.execute("LISTEN \"" + channel + "\"");
            }
            return new ListenerSession(connection, pg, lease, source, systemIdentifier(connection),
                    previousName == null ? "" : previousName);
        } catch (SQLException | RuntimeException | Unsupported e) {
            ListenerSession.release(connection, lease, e);
            throw e;
        }
    }

    private static long systemIdentifier(Connection connection) {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select system_identifier from pg_control_system()")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // not readable by this role: tokens are then not checked for a foreign cluster
        }
    }
}
