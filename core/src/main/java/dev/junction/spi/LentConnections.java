package dev.junction.spi;

import dev.junction.internal.budget.SessionLimits;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * For code that takes a {@link Lease} and hands its connection to something that is not a Junction unit of work (a
 * Spring-managed transaction, a migration tool, a report job).
 *
 * <p>A Junction write keeps its time budget as <em>session</em> settings of the physical connection
 * ({@code statement_timeout}, {@code idle_in_transaction_session_timeout} and, on PostgreSQL 17,
 * {@code transaction_timeout}), so that the next write on that connection pays no round trip to set it again. Foreign
 * code must not run under a budget it never asked for: call {@link #clearWriteBudget} on the leased connection before
 * handing it over. Junction's own reads do the same.
 */
public final class LentConnections {
    private LentConnections() {
    }

    /**
     * Resets the session limits a Junction write left on {@code connection} to the server's defaults. Costs one round
     * trip when a write left limits there, none otherwise (what each physical session carries is tracked per JVM).
     * Behind a transaction-mode pooler, or on a driver other than pgJDBC, there is nothing to clear: Junction sets
     * the budget per transaction there.
     *
     * @param connection a leased connection with autocommit on
     * @return true when a reset was sent
     * @throws SQLException when the reset fails; the connection's limits are then unknown and the lease should be
     *     released with that failure
     */
    public static boolean clearWriteBudget(Connection connection) throws SQLException {
        return SessionLimits.shared().forRead(connection);
    }
}
