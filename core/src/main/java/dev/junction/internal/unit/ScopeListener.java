package dev.junction.internal.unit;

import dev.junction.WriteInReadScopeException;
import dev.junction.internal.budget.TransactionBudget;
import dev.junction.internal.lint.WriteLints;
import dev.junction.internal.observation.UnitSpan;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.internal.sql.SqlTexts;
import dev.junction.internal.sql.StatementClassifier;
import dev.junction.spi.SqlFailures;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;
import org.jspecify.annotations.Nullable;

/**
 * The jOOQ {@link ExecuteListener} of one lease. Before a statement is sent it (1) refuses writes in a read scope,
 * classified from the query object by {@link StatementClassifier}, (2) registers the statement with the parallel
 * group's {@link Cancellation}, if any, and (3) starts the statement's accounting. After it, it records the
 * statement's shape, duration and row count in the {@link LeaseScope}; on failure it translates the server's
 * read-only violation (SQLState 25006) in a read scope into {@link WriteInReadScopeException}.
 *
 * <p>Per-statement cost: a few {@code instanceof} checks; a token scan only for {@code Select}s and plain SQL in read
 * scopes; one SQL-shape scan after execution. Confined to the lease's thread.
 */
final class ScopeListener implements ExecuteListener {
    private static final long serialVersionUID = 1L;
    private static final String FIX = " Use db.write(...) for statements that modify data or lock rows.";

    private final transient LeaseScope scope;
    private final transient SlowStatementLog slowLog;

    ScopeListener(LeaseScope scope, SlowStatementLog slowLog) {
        this.scope = scope;
        this.slowLog = slowLog;
    }

    /** Per-execution state, kept in the ExecuteContext's data. */
    private static final class Execution {
        final long startNanos;
        final String shape;
        long records;
        boolean result;
        UnitSpan.@Nullable Statement traced;

        Execution(long startNanos, String shape) {
            this.startNanos = startNanos;
            this.shape = shape;
        }
    }

    private static final Object KEY = new Object();

    @Override
    public void executeStart(ExecuteContext ctx) {
        if (scope.readScope()) {
            refuseWrites(ctx);
        }
        String shape = describe(ctx, -1);
        TransactionBudget budget = scope.budget();
        if (budget != null) {
            // The order is the budget's promise: the deadline first, then the lints, and the cancel is armed last,
            // once nothing else can stop the statement from being sent.
            long now = System.nanoTime();
            budget.beforeStatement(shape, now);
            WriteLints lints = scope.writeLints();
            if (lints != null) {
                lints.beforeStatement(ctx, shape, now);
            }
            budget.armCancel(ctx.statement(), now);
        }
        scope.statementShape(shape);
        Cancellation cancellation = scope.cancellation();
        if (cancellation != null) {
            cancellation.statementStarting(ctx.statement());
        }
        scope.statementSent();
        Execution execution = new Execution(System.nanoTime(), shape);
        UnitSpan span = scope.span();
        if (span != null) {
            execution.traced = span.statement(shape, scope.node());
        }
        ctx.data(KEY, execution);
    }

    @Override
    public void resultStart(ExecuteContext ctx) {
        if (ctx.data(KEY) instanceof Execution e) {
            e.result = true;
        }
    }

    @Override
    public void recordEnd(ExecuteContext ctx) {
        if (ctx.recordLevel() == 0 && ctx.data(KEY) instanceof Execution e) {
            e.records++;
        }
    }

    @Override
    public void exception(ExecuteContext ctx) {
        RuntimeException failure = ctx.exception();
        if (scope.readScope() && failure != null && !(failure instanceof WriteInReadScopeException)
                && SqlFailures.isReadOnlyViolation(failure)) {
            ctx.exception(new WriteInReadScopeException("Write statement refused by the server in a read scope"
                    + " (SQLState 25006): " + describe(ctx, -1) + " (on node '" + scope.node().name() + "')." + FIX,
                    failure));
        }
        finish(ctx, true);
        TransactionBudget budget = scope.budget();
        if (budget != null && failure != null) {
            RuntimeException exceeded = budget.translate(failure);
            if (exceeded != null) {
                ctx.exception(exceeded);
            }
        }
    }

    @Override
    public void end(ExecuteContext ctx) {
        finish(ctx, false);
    }

    private void finish(ExecuteContext ctx, boolean failed) {
        Object data = ctx.data().remove(KEY);
        if (!(data instanceof Execution e)) {
            return;
        }
        long end = System.nanoTime();
        TransactionBudget budget = scope.budget();
        if (budget != null) {
            budget.afterStatement();
        }
        WriteLints lints = scope.writeLints();
        if (lints != null) {
            lints.afterStatement(end);
        }
        Cancellation cancellation = scope.cancellation();
        if (cancellation != null) {
            cancellation.statementEnded();
        }
        long rows = rows(ctx, e);
        scope.statementFinished(e.shape, e.startNanos, end, rows, failed);
        if (e.traced != null) {
            RuntimeException failure = ctx.exception();
            e.traced.end(rows, !failed ? null : failure != null ? failure
                    : new IllegalStateException("the statement failed"));
        }
        if (slowLog.isSlow(end - e.startNanos)) {
            slowLog.statementEnded(ctx, scope.kind(), scope.node(), e.shape, end - e.startNanos, rows, failed);
        }
    }

    private static long rows(ExecuteContext ctx, Execution e) {
        if (e.result || e.records > 0) {
            return e.records;
        }
        long[] batch = ctx.batchRowsLarge();
        if (batch != null && batch.length > 0) {
            long sum = 0;
            for (long r : batch) {
                if (r < 0) {
                    return -1;
                }
                sum += r;
            }
            return sum;
        }
        long rows = ctx.rowsLarge();
        return rows >= 0 ? rows : -1;
    }

    private void refuseWrites(ExecuteContext ctx) {
        Query[] batch = ctx.batchQueries();
        String[] batchSql = ctx.batchSQL();
        int write = StatementClassifier.firstWrite(ctx.query(), ctx.routine(), batch, ctx.sql(), batchSql);
        if (write >= -1) {
            throw new WriteInReadScopeException("Write statement refused in a read scope: " + describe(ctx, write)
                    + " (on node '" + scope.node().name() + "')." + FIX, null);
        }
    }

    /** The SQL shape of the execution: of the batch statement at {@code batchIndex}, or of the whole execution. */
    private static String describe(ExecuteContext ctx, int batchIndex) {
        Query[] batch = ctx.batchQueries();
        String[] batchSql = ctx.batchSQL();
        boolean isBatch = batch != null && batch.length > 1 || batchSql != null && batchSql.length > 1;
        if (!isBatch) {
            String sql = ctx.sql();
            if (sql == null && batchSql != null && batchSql.length == 1) {
                sql = batchSql[0];
            }
            return sql == null ? unknown(ctx) : SqlTexts.shape(sql);
        }
        int size = Math.max(batch == null ? 0 : batch.length, batchSql == null ? 0 : batchSql.length);
        int index = Math.max(batchIndex, 0);
        String text = batchSql != null && index < batchSql.length ? batchSql[index] : null;
        String shape = text != null ? SqlTexts.shape(text)
                : batch != null && index < batch.length ? batch[index].getClass().getSimpleName() : "?";
        return "batch of " + size + (batchIndex >= 0 ? ", statement " + (batchIndex + 1) : "") + ": " + shape;
    }

    private static String unknown(ExecuteContext ctx) {
        @Nullable Query query = ctx.query();
        return query == null ? "(unknown statement)" : query.getClass().getSimpleName();
    }
}
