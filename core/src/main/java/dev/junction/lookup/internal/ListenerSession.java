package dev.junction.lookup.internal;

import dev.junction.ConsistencyToken;
import dev.junction.spi.Lease;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening connection: dedicated (closed at the end) or a pooled lease (cleaned of its {@code LISTEN} and
 * application name, then released). Confined to the listener thread.
 */
final class ListenerSession {
    private static final Logger log = LoggerFactory.getLogger(ListenerSession.class);
    private static final int CLEANUP_TIMEOUT_MILLIS = 5_000;

    private final Connection connection;
    private final PGConnection pg;
    private final @Nullable Lease lease;
    private final String source;
    private final long systemIdentifier;
    private final String previousApplicationName;
    private final long openedNanos = System.nanoTime();

    ListenerSession(Connection connection, PGConnection pg, @Nullable Lease lease, String source,
            long systemIdentifier, String previousApplicationName) {
        this.connection = connection;
        this.pg = pg;
        this.lease = lease;
        this.source = source;
        this.systemIdentifier = systemIdentifier;
        this.previousApplicationName = previousApplicationName;
    }

    Connection connection() {
        return connection;
    }

    PGConnection pg() {
        return pg;
    }

    String source() {
        return source;
    }

    boolean pooled() {
        return lease != null;
    }

    long openedNanos() {
        return openedNanos;
    }

    /**
     * The primary's WAL insert position now, as a token: every commit whose notification has arrived is at or
     * before it, so a node that has replayed it sees those commits.
     */
    ConsistencyToken position() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select pg_current_wal_insert_lsn()::text,"
                     + " pg_walfile_name(pg_current_wal_insert_lsn())")) {
            rs.next();
            long lsn = ConsistencyToken.parseLsn(rs.getString(1));
            int timeline = Integer.parseUnsignedInt(rs.getString(2).substring(0, 8), 16);
            return ConsistencyToken.of(systemIdentifier, timeline, lsn, Instant.now());
        }
    }

    /** Sends a notification in its own (autocommit) transaction. */
    void notify(String channel, String payload) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select pg_notify(?, ?)")) {
            s.setString(1, channel);
            s.setString(2, payload);
            s.execute();
        }
    }

    /** Ends the session; {@code failure} is what ended it, if anything. */
    void end(@Nullable Throwable failure) {
        if (lease == null) {
            release(connection, null, failure);
            return;
        }
        Throwable reported = failure;
        if (SqlFailures.isConnectionFailure(failure)) {
            showFailureToPool();
        } else {
            try {
                int previousTimeout = connection.getNetworkTimeout();
                connection.setNetworkTimeout(Runnable::run, CLEANUP_TIMEOUT_MILLIS);
                try (PreparedStatement s = connection.prepareStatement("select pg_catalog.set_config("
                        + "'application_name', ?, false)")) {
                    s.setString(1, previousApplicationName);
                    s.execute();
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("UNLISTEN *");
                }
                pg.getNotifications(); // drop what arrived meanwhile, so the next borrower starts clean
                connection.setNetworkTimeout(Runnable::run, previousTimeout);
            } catch (SQLException | RuntimeException e) {
                reported = reported == null ? e : reported;
            }
        }
        release(connection, lease, reported);
    }

    /**
     * The failure reached us through the unwrapped pgJDBC connection, so a pool that watches its proxies (HikariCP)
     * did not see it and would lend the dead connection again: one statement through the proxy lets it see.
     */
    private void showFailureToPool() {
        try {
            int previousTimeout = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, 1_000);
            try (Statement s = connection.createStatement()) {
                s.execute("select 1");
            }
            connection.setNetworkTimeout(Runnable::run, previousTimeout);
        } catch (SQLException | RuntimeException expected) {
            // the pool has now marked the connection broken
        }
    }

    static void release(Connection connection, @Nullable Lease lease, @Nullable Throwable failure) {
        if (lease != null) {
            try {
                lease.release(failure);
            } catch (RuntimeException e) {
                log.debug("releasing the listening lease failed: {}", e.toString());
            }
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("closing the listening connection failed: {}", e.toString());
        }
    }
}
