package dev.junction.internal.unit;

import dev.junction.ConsistencyToken;
import dev.junction.Lints;
import dev.junction.WriteInterruptedException;
import dev.junction.internal.budget.DeadlineWatch;
import dev.junction.internal.budget.SessionLimits;
import dev.junction.internal.budget.TransactionBudget;
import dev.junction.internal.lint.LintReporter;
import dev.junction.internal.lint.WriteLints;
import dev.junction.lookup.internal.LookupHooks;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;

/**
 * The write transactions of one Database: {@link #open} turns a lease's connection into a transaction with its time
 * budget and lints, {@link Transaction#commit} ends it with the commit's {@link ConsistencyToken}, and
 * {@link #rollback} undoes a failed one. Owns the timer that cancels statements at their deadline. Thread-safe; each
 * {@link Transaction} is confined to its lease's thread.
 */
final class WriteTransactions implements AutoCloseable {
    private final Lints lints;
    private final LintReporter reporter;
    private final boolean serverSideBudget;
    private final CommitPositions positions = new CommitPositions();
    /** Cancels statements at their transaction's deadline; one daemon thread per Database. */
    private final DeadlineWatch timer = DeadlineWatch.start("junction-budget");

    WriteTransactions(Lints lints, LintReporter reporter, boolean serverSideBudget) {
        this.lints = lints;
        this.reporter = reporter;
        this.serverSideBudget = serverSideBudget;
    }

    /**
     * Starts a transaction on {@code connection}: learns the node's system identifier (while autocommit is still
     * on), turns autocommit off, and gives the scope the transaction's budget (its clock starts now) and lints.
     * Nothing after turning autocommit off can fail, so a caller that gets no transaction has nothing to restore.
     */
    Transaction open(Connection connection, LeaseScope scope, Duration budget) throws SQLException {
        String node = scope.node().name();
        long systemIdentifier = positions.systemIdentifier(connection, node);
        TransactionBudget transactionBudget = new TransactionBudget(budget, node, scope.statements(), timer);
        // While autocommit is still on: a session setting made inside the transaction would be undone by a rollback.
        boolean perTransaction = false;
        if (serverSideBudget) {
            SessionLimits.Mode mode = SessionLimits.shared().forWrite(connection, budget);
            if (mode == SessionLimits.Mode.SET) {
                scope.roundTrip();
            }
            perTransaction = mode == SessionLimits.Mode.PER_TRANSACTION;
        }
        boolean autoCommitTurnedOff = false;
        if (connection.getAutoCommit()) {
            connection.setAutoCommit(false);
            autoCommitTurnedOff = true;
        }
        WriteLints writeLints = new WriteLints(lints, reporter, node, scope.lintFindings());
        scope.write(transactionBudget, writeLints);
        return new Transaction(connection, scope, systemIdentifier, autoCommitTurnedOff, transactionBudget,
                writeLints, perTransaction);
    }

    /** Rolls back a failed write, if a transaction is open; a failure to do so is added to {@code failure}. */
    static void rollback(Connection connection, LeaseScope scope, Throwable failure) {
        try {
            if (!connection.getAutoCommit()) {
                boolean sent = scope.roundTrips() > 0;
                connection.rollback();
                if (sent) {
                    scope.roundTrip();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        timer.close();
    }

    /** One open write transaction. */
    final class Transaction {
        private final Connection connection;
        private final LeaseScope scope;
        private final long systemIdentifier;
        private final boolean autoCommitTurnedOff;
        private final TransactionBudget budget;
        private final WriteLints writeLints;
        private final boolean perTransactionLimits;

        private Transaction(Connection connection, LeaseScope scope, long systemIdentifier,
                boolean autoCommitTurnedOff, TransactionBudget budget, WriteLints writeLints,
                boolean perTransactionLimits) {
            this.perTransactionLimits = perTransactionLimits;
            this.connection = connection;
            this.scope = scope;
            this.systemIdentifier = systemIdentifier;
            this.autoCommitTurnedOff = autoCommitTurnedOff;
            this.budget = budget;
            this.writeLints = writeLints;
        }

        /** Whether {@link #open} turned autocommit off, so the lease must turn it back on. */
        boolean autoCommitTurnedOff() {
            return autoCommitTurnedOff;
        }

        /**
         * Where the session cannot keep the budget ({@link SessionLimits.Mode#PER_TRANSACTION}: a transaction-mode
         * pooler, another driver), hands it to the server as the transaction's first statement (one round trip);
         * elsewhere {@link #open} has already put it on the session.
         */
        void applyServerLimits() throws SQLException {
            if (!serverSideBudget || !perTransactionLimits) {
                return;
            }
            try {
                budget.applyServerLimits(connection);
            } finally {
                scope.roundTrip();
            }
        }

        /**
         * After the work: the deadline and the write-without-writes lint, the notification for written lookup
         * tables, then the commit and its token, then the local invalidation of those tables.
         */
        ConsistencyToken commit(LookupHooks.@Nullable Tracker lookups) throws SQLException {
            budget.beforeCommit();
            writeLints.beforeCommit(scope.statementCount());
            if (LookupHooks.notifies(lookups)) {
                try {
                    LookupHooks.notifyWritten(lookups, connection);
                } finally {
                    scope.roundTrip();
                }
            }
            ConsistencyToken token = commitWithToken();
            LookupHooks.afterCommit(lookups, token);
            return token;
        }

        private ConsistencyToken commitWithToken() {
            try {
                ConsistencyToken token = CommitPositions.commit(connection, systemIdentifier);
                scope.roundTrip();
                return token;
            } catch (SQLException | RuntimeException e) {
                scope.roundTrip();
                String message = "commit failed on node '" + scope.node().name() + "' (SQLState "
                        + SqlFailures.sqlState(e) + "); ";
                // Only a lost connection leaves the outcome unknown; a COMMIT the server refused was rolled back.
                if (SqlFailures.isConnectionFailure(e)) {
                    throw new WriteInterruptedException(message + "the transaction may or may not have been applied"
                            + " (the connection was lost); check before retrying: " + e.getMessage(),
                            scope.node().name(), true, e);
                }
                throw new DataAccessException(message + "the transaction was rolled back: " + e.getMessage(), e);
            }
        }
    }
}
