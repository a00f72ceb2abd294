package dev.junction.internal.unit;

import dev.junction.ConsistencyToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a write transaction and learns its WAL position in the same round trip, for the write's
 * {@link ConsistencyToken}. The position is {@code pg_current_wal_insert_lsn()} read right after the commit, so it is
 * at or after the end of the commit record: a replica that has replayed it sees the commit. It may be a little
 * later (other sessions' WAL), which can only make a token read wait longer, never read older data.
 *
 * <p>The server's system identifier (which cluster a token belongs to) is read once per node, outside any
 * transaction; where the role may not read {@code pg_control_system()} it is recorded as 0 (unknown) and tokens are
 * then not checked for foreign clusters. Thread-safe.
 */
final class CommitPositions {
    private static final Logger log = LoggerFactory.getLogger(CommitPositions.class);

    /**
     * Both statements go in one message: COMMIT ends the transaction, the SELECT runs in its own implicit
     * transaction afterwards.
     */
    static final String COMMIT_AND_POSITION = "COMMIT; SELECT pg_current_wal_insert_lsn()::text,"
            + " pg_walfile_name(pg_current_wal_insert_lsn())";
    private static final String SYSTEM_IDENTIFIER = "select system_identifier from pg_control_system()";

    private final Map<String, Long> systemIds = new ConcurrentHashMap<>();

    /** The node's system identifier, read on first use (autocommit must still be on), or 0 when unreadable. */
    long systemIdentifier(Connection connection, String node) {
        Long known = systemIds.get(node);
        if (known != null) {
            return known;
        }
        long id = 0;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SYSTEM_IDENTIFIER)) {
            if (rs.next()) {
                id = rs.getLong(1);
            }
        } catch (SQLException e) {
            log.info("cannot read the system identifier of node '{}' (SQLState {}); consistency tokens from it will"
                    + " not be checked for a foreign cluster", node, e.getSQLState());
        }
        systemIds.put(node, id);
        return id;
    }

    /**
     * Commits and returns the commit's token. An exception means the commit was refused (rolled back), unless it is
     * a connection failure, after which the outcome is unknown.
     */
    static ConsistencyToken commit(Connection connection, long systemIdentifier) throws SQLException {
        if (!connection.isWrapperFor(BaseConnection.class)) {
            // Not pgJDBC: no transaction state to check, so commit the standard way and ask separately.
            connection.commit();
            return position(connection, systemIdentifier);
        }
        // A COMMIT sent as SQL in an aborted transaction is answered with ROLLBACK and no error, and pgJDBC only
        // raises that for its own commit(): check the state it tracks from the server's ReadyForQuery instead.
        if (connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
            throw new SQLException("the transaction was aborted by an earlier error that the work caught; COMMIT"
                    + " would roll back. Let the error propagate, or use a nested ctx.transaction(...) (a savepoint)"
                    + " around the statement that may fail", "25P02");
        }
        // A prepared statement, though it has no parameters: pgJDBC then keeps both statements parsed in its
        // per-connection cache and, after prepareThreshold uses, prepared on the server, so the server no longer
        // parses and plans the SELECT on every commit. As a plain Statement it did: a plain transaction with this
        // commit ran at 0.61x of a plain commit's throughput at 16 callers on 2 cores, 0.80x prepared (./dev bench
        // per-call, docs/benchmarks.md).
        try (PreparedStatement s = connection.prepareStatement(COMMIT_AND_POSITION)) {
            boolean hasResult = s.execute();
            while (!hasResult) {
                if (s.getUpdateCount() == -1) {
                    throw new SQLException("the server returned no WAL position after COMMIT", "XX000");
                }
                hasResult = s.getMoreResults();
            }
            try (ResultSet rs = s.getResultSet()) {
                return token(rs, systemIdentifier);
            }
        }
    }

    private static ConsistencyToken position(Connection connection, long systemIdentifier) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(COMMIT_AND_POSITION.substring(COMMIT_AND_POSITION.indexOf("SELECT")))) {
            return token(rs, systemIdentifier);
        }
    }

    private static ConsistencyToken token(ResultSet rs, long systemIdentifier) throws SQLException {
        rs.next();
        long lsn = ConsistencyToken.parseLsn(rs.getString(1));
        int timeline = Integer.parseUnsignedInt(rs.getString(2).substring(0, 8), 16);
        return ConsistencyToken.of(systemIdentifier, timeline, lsn, Instant.now());
    }
}
