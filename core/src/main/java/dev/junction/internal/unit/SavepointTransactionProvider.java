package dev.junction.internal.unit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jooq.TransactionContext;
import org.jooq.TransactionProvider;
import org.jooq.exception.DataAccessException;

/**
 * jOOQ transactions ({@code ctx.transaction(...)}) on a lease's connection. Inside a write unit (autocommit already
 * off) every transaction is a savepoint: {@code SAVEPOINT} at begin, {@code RELEASE SAVEPOINT} at commit,
 * {@code ROLLBACK TO SAVEPOINT} at rollback; the unit itself commits. On a connection in autocommit mode (a read
 * unit) the outermost transaction is a real one ({@code BEGIN READ ONLY} with pgJDBC's read-only connection), nested
 * ones are savepoints. Each message sent is counted as a round trip. Unlike jOOQ's default provider it does not set a
 * savepoint for the outermost transaction. Confined to the lease's thread.
 */
final class SavepointTransactionProvider implements TransactionProvider {
    private static final Object TOP_LEVEL = new Object();

    private final Connection connection;
    private final LeaseScope scope;
    private final Deque<Object> stack = new ArrayDeque<>();
    private int roundTripsAtBegin;

    SavepointTransactionProvider(Connection connection, LeaseScope scope) {
        this.connection = connection;
        this.scope = scope;
    }

    @Override
    public void begin(TransactionContext ctx) {
        try {
            if (stack.isEmpty() && connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                roundTripsAtBegin = scope.roundTrips();
                stack.push(TOP_LEVEL);
            } else {
                Savepoint savepoint = connection.setSavepoint();
                scope.roundTrip();
                stack.push(savepoint);
            }
        } catch (SQLException e) {
            throw new DataAccessException("could not begin a transaction: " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(TransactionContext ctx) {
        Object top = stack.pop();
        try {
            if (top == TOP_LEVEL) {
                try {
                    connection.commit();
                    countEnd();
                } finally {
                    connection.setAutoCommit(true);
                }
            } else {
                connection.releaseSavepoint((Savepoint) top);
                scope.roundTrip();
            }
        } catch (SQLException e) {
            throw new DataAccessException("could not commit: " + e.getMessage(), e);
        }
    }

    @Override
    public void rollback(TransactionContext ctx) {
        if (stack.isEmpty()) {
            return; // begin() failed; nothing to undo
        }
        Object top = stack.pop();
        try {
            if (top == TOP_LEVEL) {
                try {
                    connection.rollback();
                    countEnd();
                } finally {
                    connection.setAutoCommit(true);
                }
            } else {
                connection.rollback((Savepoint) top);
                scope.roundTrip();
            }
        } catch (SQLException e) {
            throw new DataAccessException("could not roll back: " + e.getMessage(), e);
        }
    }

    private void countEnd() {
        // pgJDBC sends COMMIT / ROLLBACK only when something was sent inside the transaction.
        if (scope.roundTrips() > roundTripsAtBegin) {
            scope.roundTrip();
        }
    }
}
