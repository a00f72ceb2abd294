package dev.junction.internal;

import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.TransactionBudgetExceededException;
import dev.junction.UnitReport;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.ExecuteContext;
import org.jspecify.annotations.Nullable;

/**
 * The time budget and the lints of one write transaction. The budget is enforced twice: by the server, through
 * {@code SET LOCAL statement_timeout} (the budget), {@code idle_in_transaction_session_timeout} and, on PostgreSQL 17,
 * {@code transaction_timeout} (the budget plus a grace, as a backstop: exceeding those two ends the session); and by
 * the library, which refuses to start a statement or commit after the deadline and cancels a running statement when
 * the deadline passes. A cancelled statement leaves the connection healthy; the unit rolls back. Confined to the
 * lease's thread, except the cancel timer.
 */
final class WriteGuard {
    /** Server-side backstops fire this long after the library's deadline, so the library's cleaner cancel wins. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final Duration budget;
    private final long startNanos;
    private final long deadlineNanos;
    private final Lints lints;
    private final LintReporter reporter;
    private final ScheduledExecutorService timer;
    private long lastEndNanos = -1;
    private boolean wrote;
    private @Nullable ScheduledFuture<?> pendingCancel;
    private volatile boolean cancelledByDeadline;

    WriteGuard(Duration budget, Lints lints, LintReporter reporter, ScheduledExecutorService timer) {
        this.budget = budget;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + budget.toNanos();
        this.lints = lints;
        this.reporter = reporter;
        this.timer = timer;
    }

    /** Sends the server-side limits as the transaction's first statement (one round trip). */
    void applyServerLimits(Connection connection, LeaseScope scope) throws SQLException {
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
        } finally {
            scope.roundTrip();
        }
    }

    /** Before a statement: the deadline, the gap lint, the write tally; arms the cancel timer. */
    void beforeStatement(ExecuteContext ctx, LeaseScope scope, String shape) {
        long now = System.nanoTime();
        if (now >= deadlineNanos) {
            throw exceeded(scope, "before it could run " + shape, null);
        }
        if (lastEndNanos >= 0 && lints.transactionGap() != LintMode.OFF
                && now - lastEndNanos > lints.gapThreshold().toNanos()) {
            reporter.report("transaction-gap", lints.transactionGap(), "the transaction on node '"
                    + scope.node().name() + "' sat idle for " + millis(now - lastEndNanos) + " (over "
                    + millis(lints.gapThreshold().toNanos()) + ") before " + shape + ", holding its connection and"
                    + " locks. Do that work before the transaction (db.prepare(...).thenWrite(...)) or after it",
                    scope.lintFindings());
        }
        if (StatementClassifier.classify(ctx.query(), ctx.routine(), ctx.batchQueries(), ctx.sql(),
                ctx.batchSQL()) != StatementClassifier.Kind.READ) {
            wrote = true;
        }
        Statement statement = ctx.statement();
        if (statement != null) {
            pendingCancel = timer.schedule(() -> {
                cancelledByDeadline = true;
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // the statement finished meanwhile; the deadline check before the next one catches the rest
                }
            }, deadlineNanos - now, TimeUnit.NANOSECONDS);
        }
    }

    /** After a statement, successful or not. */
    void afterStatement() {
        ScheduledFuture<?> p = pendingCancel;
        if (p != null) {
            p.cancel(false);
            pendingCancel = null;
        }
        lastEndNanos = System.nanoTime();
    }

    /** The budget error for a statement that failed because the deadline cancelled it, else null. */
    @Nullable TransactionBudgetExceededException translate(RuntimeException failure, LeaseScope scope) {
        boolean timedOut = "57014".equals(SqlFailures.sqlState(failure));
        if (timedOut && (cancelledByDeadline || System.nanoTime() >= deadlineNanos)) {
            return exceeded(scope, "while a statement ran (cancelled)", failure);
        }
        return null;
    }

    /** Before the commit: the deadline and the write-without-writes lint. */
    void beforeCommit(LeaseScope scope) {
        if (System.nanoTime() >= deadlineNanos) {
            throw exceeded(scope, "before the commit", null);
        }
        if (!wrote && lints.writeWithoutWrites() != LintMode.OFF) {
            reporter.report("write-without-writes", lints.writeWithoutWrites(), "a write unit on node '"
                    + scope.node().name() + "' ran " + scope.statementCount() + " statement(s) and none of them"
                    + " modified data: it held a primary connection and a transaction for reads only. Use db.read(...)"
                    + " or db.parallel(...) (no transaction, a replica)", scope.lintFindings());
        }
    }

    private TransactionBudgetExceededException exceeded(LeaseScope scope, String when,
                                                        @Nullable Throwable cause) {
        long elapsed = System.nanoTime() - startNanos;
        StringBuilder sb = new StringBuilder("transaction budget of ").append(millis(budget.toNanos()))
                .append(" exceeded on node '").append(scope.node().name()).append("' ").append(when).append(", after ")
                .append(millis(elapsed)).append("; rolled back, nothing was committed. Statements (start, duration,"
                        + " gap before):");
        long previousEnd = -1;
        int i = 0;
        for (UnitReport.StatementReport s : scope.statements()) {
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
        return new TransactionBudgetExceededException(sb.toString(), budget, scope.statements(), cause);
    }

    private static String millis(long nanos) {
        return Math.round(nanos / 1e6) + "ms";
    }
}
