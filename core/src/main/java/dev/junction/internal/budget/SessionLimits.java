package dev.junction.internal.budget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;

/**
 * The server-side transaction budget kept as <em>session</em> settings of each physical connection, so that a write
 * pays no round trip for it (issue 25): {@code statement_timeout} = the budget and
 * {@code idle_in_transaction_session_timeout} (and PostgreSQL 17's {@code transaction_timeout}) = the budget plus
 * {@link TransactionBudget#GRACE}, set with autocommit on before the transaction starts (a session {@code SET} inside a
 * transaction that rolls back would be undone), once per physical connection and again only when a write asks for
 * another budget. A read that gets a connection a write left its limits on resets them first ({@link #forRead}), so a
 * read on the primary's pool never runs under a write's {@code statement_timeout}.
 *
 * <p>What each physical session carries is recorded here, keyed weakly by pgJDBC's connection (HikariCP's proxies
 * change per borrow; the physical connection does not). Where session settings would not stay with this client, the
 * caller keeps setting them per transaction with {@code SET LOCAL} semantics ({@link Mode#PER_TRANSACTION}): behind a
 * transaction-mode pooler (recognised by pgJDBC's {@code prepareThreshold=0}, which Junction sets for one), with
 * another driver, or when autocommit is already off. Thread-safe.
 */
public final class SessionLimits {
    /** The budget settings' session default, as set by the server, role or start-up options: none from a write. */
    private static final long NONE = 0;
    /** A SET that failed half-way: the session's limits are unknown, so a read resets and a write sets them again. */
    private static final long UNKNOWN = -1;

    private static final SessionLimits SHARED = new SessionLimits();

    private final Map<BaseConnection, Long> applied = new WeakHashMap<>();

    private SessionLimits() {
    }

    /** One registry per JVM: the state belongs to the physical sessions, whichever Database lends them. */
    public static SessionLimits shared() {
        return SHARED;
    }

    /** How a write's server-side limits are in place. */
    public enum Mode {
        /** The session already carried this budget: no round trip. */
        KEPT,
        /** The session's limits were set now: one round trip. */
        SET,
        /** Session settings do not apply here: the transaction sets them itself ({@code SET LOCAL} semantics). */
        PER_TRANSACTION
    }

    /**
     * Makes the session's limits those of {@code budget}, before the write's transaction (autocommit must be on).
     *
     * @return whether that took a round trip, or that the transaction must set them itself
     */
    public Mode forWrite(Connection connection, Duration budget) throws SQLException {
        BaseConnection physical = sessionScoped(connection);
        if (physical == null || !connection.getAutoCommit()) {
            return Mode.PER_TRANSACTION;
        }
        long millis = Math.max(1, budget.toMillis());
        if (state(physical) == millis) {
            return Mode.KEPT;
        }
        record(physical, UNKNOWN);
        long backstop = millis + TransactionBudget.GRACE.toMillis();
        boolean pg17 = physical.haveMinimumServerVersion(170000);
        String sql = "select set_config('statement_timeout', ?, false),"
                + " set_config('idle_in_transaction_session_timeout', ?, false)"
                + (pg17 ? ", set_config('transaction_timeout', ?, false)" : "");
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, Long.toString(millis));
            s.setString(2, Long.toString(backstop));
            if (pg17) {
                s.setString(3, Long.toString(backstop));
            }
            s.execute();
        }
        record(physical, millis);
        return Mode.SET;
    }

    /**
     * Before a read (or any use that is not a Junction write): resets the limits a write left on the session.
     *
     * @return true when that took a round trip
     */
    public boolean forRead(Connection connection) throws SQLException {
        BaseConnection physical = sessionScoped(connection);
        if (physical == null || state(physical) == NONE) {
            return false;
        }
        record(physical, UNKNOWN);
        boolean pg17 = physical.haveMinimumServerVersion(170000);
        try (Statement s = connection.createStatement()) {
            s.execute("RESET statement_timeout; RESET idle_in_transaction_session_timeout"
                    + (pg17 ? "; RESET transaction_timeout" : ""));
        }
        record(physical, NONE);
        return true;
    }

    /** The budget the session carries in milliseconds, {@link #NONE} or {@link #UNKNOWN}. */
    private long state(BaseConnection physical) {
        synchronized (applied) {
            Long s = applied.get(physical);
            return s == null ? NONE : s;
        }
    }

    private void record(BaseConnection physical, long state) {
        synchronized (applied) {
            if (state == NONE) {
                applied.remove(physical);
            } else {
                applied.put(physical, state);
            }
        }
    }

    /** pgJDBC's physical connection, or null when session settings would not stay with this client. */
    private static BaseConnection sessionScoped(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(BaseConnection.class)) {
            return null;
        }
        BaseConnection physical = connection.unwrap(BaseConnection.class);
        // Junction's settings for a transaction-mode pooler: the next transaction may get another server session.
        if (((PGConnection) physical).getPrepareThreshold() == 0) {
            return null;
        }
        return physical;
    }
}
