package dev.junction.internal.budget;

import dev.junction.TransactionBudgetExceededException;
import dev.junction.UnitReport;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The time budget of one write transaction. It is enforced twice: by the server, through
 * {@code SET LOCAL statement_timeout} (the budget), {@code idle_in_transaction_session_timeout} and, on PostgreSQL 17,
 * {@code transaction_timeout} (the budget plus a grace, as a backstop: exceeding those two ends the session); and by
 * the library, which refuses to start a statement or commit after the deadline and cancels a running statement when
 * the deadline passes. A cancelled statement leaves the connection healthy; the unit rolls back. The clock starts
 * when the budget is created. Confined to the lease's thread, except the cancel, which the watch runs.
 */
public final class TransactionBudget {
    /** Server-side backstops fire this long after the library's deadline, so the library's cleaner cancel wins. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final Duration budget;
    private final String node;
    private final List<UnitReport.StatementReport> statements;
    private final DeadlineWatch watch;
    private final long startNanos;
    private final long deadlineNanos;
    private DeadlineWatch.@Nullable Armed pendingCancel;
    private volatile boolean cancelledByDeadline;

    /**
     * @param budget     the transaction's budget
     * @param node       the node the transaction runs on, for messages
     * @param statements the lease's statements so far (a live view), listed in the budget error
     * @param watch      the Database's watch that cancels a statement at the deadline
     */
    public TransactionBudget(Duration budget, String node, List<UnitReport.StatementReport> statements,
            DeadlineWatch watch) {
        this.budget = budget;
        this.node = node;
        this.statements = statements;
        this.watch = watch;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + budget.toNanos();
    }

    /** Sends the server-side limits as the transaction's first statement (one round trip, the caller counts it). */
    public void applyServerLimits(Connection connection) throws SQLException {
        long budgetMillis = Math.max(1, budget.toMillis());
        long backstop = budgetMillis + GRACE.toMillis();
        boolean pg17 = connection.getMetaData().getDatabaseMajorVersion() >= 17;
        String sql = "select set_config('statement_timeout', ?, true),"
                + " set_config('idle_in_transaction_session_timeout', ?, true)"
                + (pg17 ? ", set_config('transaction_timeout', ?, true)" : "");
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, Long.toString(budgetMillis));
            s.setString(2, Long.toString(backstop));
            if (pg17) {
                s.setString(3, Long.toString(backstop));
            }
            s.execute();
        }
    }

    /** Before a statement, at {@code now}: throws when the deadline has passed. */
    public void beforeStatement(String shape, long now) {
        if (now >= deadlineNanos) {
            throw exceeded("before it could run " + shape, null);
        }
    }

    /** Once the statement may run: arms the cancel that stops it at the deadline. */
    public void armCancel(@Nullable Statement statement, long now) {
        if (statement != null) {
            pendingCancel = watch.arm(deadlineNanos, () -> {
                cancelledByDeadline = true;
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // the statement finished meanwhile; the deadline check before the next one catches the rest
                }
            });
        }
    }

    /** After a statement, successful or not: disarms its cancel. */
    public void afterStatement() {
        DeadlineWatch.Armed p = pendingCancel;
        if (p != null) {
            watch.disarm(p);
            pendingCancel = null;
        }
    }

    /** The budget error for a statement that failed because the deadline cancelled it, else null. */
    public @Nullable TransactionBudgetExceededException translate(RuntimeException failure) {
        boolean timedOut = "57014".equals(SqlFailures.sqlState(failure));
        if (timedOut && (cancelledByDeadline || System.nanoTime() >= deadlineNanos)) {
            return exceeded("while a statement ran (cancelled)", failure);
        }
        return null;
    }

    /** Before the commit: throws when the deadline has passed. */
    public void beforeCommit() {
        if (System.nanoTime() >= deadlineNanos) {
            throw exceeded("before the commit", null);
        }
    }

    private TransactionBudgetExceededException exceeded(String when, @Nullable Throwable cause) {
        long elapsed = System.nanoTime() - startNanos;
        StringBuilder sb = new StringBuilder("transaction budget of ").append(millis(budget.toNanos()))
                .append(" exceeded on node '").append(node).append("' ").append(when).append(", after ")
                .append(millis(elapsed)).append("; rolled back, nothing was committed. Statements (start, duration,"
                        + " gap before):");
        long previousEnd = -1;
        int i = 0;
        for (UnitReport.StatementReport s : statements) {
            long start = s.startOffset().toNanos();
            sb.append(i == 0 ? " " : "; ").append('#').append(++i).append(" +").append(millis(start)).append(' ')
                    .append(millis(s.duration().toNanos()));
            if (previousEnd >= 0) {
                sb.append(" gap ").append(millis(start - previousEnd));
            }
            sb.append(s.failed() ? " FAILED " : " ").append(s.sql());
            previousEnd = start + s.duration().toNanos();
        }
        if (i == 0) {
            sb.append(" none");
        }
        sb.append(". Keep the transaction short: do reads and lookups before it (db.prepare(...).thenWrite(...)),"
                + " or give this call a larger budget with db.write(budget, work)");
        return new TransactionBudgetExceededException(sb.toString(), budget, statements, cause);
    }

    static String millis(long nanos) {
        return Math.round(nanos / 1e6) + "ms";
    }
}
