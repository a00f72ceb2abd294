package dev.junction.routing.internal;

import dev.junction.routing.Credentials;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * The monitor's own connection to one node, outside the pool (a saturated pool must not blind the monitor), with
 * short connect, login, socket and statement timeouts so that a blackholed node fails its check within about the
 * timeout. Reconnects on the next check after a failure. Used by one check at a time (the node's {@link NodeWatch});
 * {@link #close()} may come from any thread and ends a check in flight.
 */
public final class Probe implements AutoCloseable {
    /**
     * Role, position, replay age and timeline in one round trip. The timeline of a primary is its WAL insert
     * timeline (from the WAL file name, current right after a promotion, unlike {@code pg_control_checkpoint()},
     * which follows only at the next checkpoint); that of a standby is the one its WAL receiver streams, visible to
     * roles with {@code pg_read_all_stats} (e.g. through {@code pg_monitor}). {@code offset 0} keeps the planner
     * from evaluating {@code pg_is_in_recovery()} more than once.
     */
    static final String CHECK = "select s.r,"
            + " (case when s.r then pg_last_wal_replay_lsn() else pg_current_wal_insert_lsn() end)::text,"
            + " extract(epoch from (now() - pg_last_xact_replay_timestamp()))::float8,"
            + " case when not s.r then pg_walfile_name(pg_current_wal_insert_lsn()) end,"
            + " case when s.r then (select received_tli from pg_stat_wal_receiver) end,"
            + " case when s.r then exists (select 1 from pg_stat_wal_receiver) end"
            + " from (select pg_is_in_recovery() as r offset 0) s";
    static final String FACTS = "select pg_is_in_recovery(), current_setting('max_connections')::int,"
            + " current_setting('superuser_reserved_connections')::int,"
            + " coalesce(current_setting('reserved_connections', true), '0')::int";

    private static final Driver DRIVER = new Driver();

    /**
     * One check's result.
     *
     * @param inRecovery      {@code pg_is_in_recovery()}
     * @param lsn             replay LSN (standby) or insert LSN (primary); null when a standby has replayed nothing
     * @param replayAgeMillis {@code now() - pg_last_xact_replay_timestamp()}, null when unknown
     * @param timeline        the primary's insert timeline, or the timeline a standby's WAL receiver streams; null
     *                        when a standby has no WAL receiver running or the role may not see it
     * @param receiving       for a standby, whether a WAL receiver runs (true for a primary)
     */
    public record Observation(boolean inRecovery, @Nullable Long lsn, @Nullable Long replayAgeMillis,
                              @Nullable Integer timeline, boolean receiving) {
    }

    /**
     * What start-up needs to know of a server.
     */
    public record ServerFacts(boolean inRecovery, int maxConnections, int superuserReserved, int reserved) {
    }

    private final String url;
    private final Credentials credentials;
    private final int timeoutSeconds;
    private final Map<String, String> driverProperties;
    private volatile @Nullable Connection connection;

    public Probe(String url, Credentials credentials, Duration timeout) {
        this(url, credentials, timeout, Map.of());
    }

    /** @param driverProperties extra pgJDBC properties, e.g. {@link DriverSettings#forPooler} */
    public Probe(String url, Credentials credentials, Duration timeout, Map<String, String> driverProperties) {
        this.url = url;
        this.credentials = credentials;
        this.timeoutSeconds = Math.max(1, Durations.ceilSeconds(timeout));
        this.driverProperties = Map.copyOf(driverProperties);
    }

    /** Runs the health check; throws on any failure (and drops the connection so the next check reconnects). */
    public Observation check() throws SQLException {
        try (Statement s = connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery(CHECK)) {
                rs.next();
                boolean recovery = rs.getBoolean(1);
                String lsn = rs.getString(2);
                double age = rs.getDouble(3);
                Long ageMillis = rs.wasNull() ? null : Math.max(0L, Math.round(age * 1000));
                Integer timeline;
                boolean receiving;
                if (recovery) {
                    int tli = rs.getInt(5);
                    timeline = rs.wasNull() ? null : tli;
                    receiving = rs.getBoolean(6);
                } else {
                    timeline = timelineOfWalFile(rs.getString(4));
                    receiving = true;
                }
                return new Observation(recovery, lsn == null ? null : Lsn.parse(lsn), ageMillis, timeline, receiving);
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The timeline in a WAL file name: its first 8 hex digits ({@code 000000020000000000000003} is timeline 2). */
    static @Nullable Integer timelineOfWalFile(@Nullable String walFile) {
        if (walFile == null || walFile.length() < 8) {
            return null;
        }
        return Integer.parseUnsignedInt(walFile.substring(0, 8), 16);
    }

    /** Reads role and connection limits, for the start-up checks. */
    public ServerFacts facts() throws SQLException {
        try (Statement s = connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery(FACTS)) {
                rs.next();
                return new ServerFacts(rs.getBoolean(1), rs.getInt(2), rs.getInt(3), rs.getInt(4));
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The server's system identifier, or null when this role may not read {@code pg_control_system()}. */
    public @Nullable Long systemIdentifier() throws SQLException {
        try (Statement s = connection().createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("select system_identifier from pg_control_system()")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e)) {
                close();
                throw e;
            }
            return null;
        }
    }

    private Connection connection() throws SQLException {
        Connection c = connection;
        if (c != null) {
            return c;
        }
        Properties props = new Properties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
        // A query timeout makes pgJDBC send a cancel request over a new connection and wait for it before the
        // statement returns; against a partitioned node that wait is cancelSignalTimeout (10 s by default), which
        // kept the monitor from marking the node down for 11 s.
        props.setProperty("cancelSignalTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "junction-monitor");
        driverProperties.forEach(props::setProperty);
        c = DRIVER.connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + JdbcUrls.redacted(url), "08001");
        }
        connection = c;
        return c;
    }

    /** A one-line description of a failure, safe to log: SQLState and message, never the password. */
    public static String describe(Throwable failure) {
        String state = SqlFailures.sqlState(failure);
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return (state == null ? "" : "SQLState " + state + ": ") + message;
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is broken anyway
            }
        }
    }
}
