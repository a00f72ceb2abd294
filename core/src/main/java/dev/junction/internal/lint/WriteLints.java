package dev.junction.internal.lint;

import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.internal.sql.StatementClassifier;
import java.util.List;
import org.jooq.ExecuteContext;

/**
 * The lints of one write transaction: {@code transaction-gap} (a pause between two statements longer than
 * {@link Lints#gapThreshold()}) and {@code write-without-writes} (a write unit none of whose statements modified
 * data). Confined to the lease's thread.
 */
public final class WriteLints {
    private final Lints lints;
    private final LintReporter reporter;
    private final String node;
    private final List<String> findings;
    private long lastEndNanos = -1;
    private boolean wrote;

    /**
     * @param node     the node the transaction runs on, for messages
     * @param findings the lease's lint findings, where each finding is added
     */
    public WriteLints(Lints lints, LintReporter reporter, String node, List<String> findings) {
        this.lints = lints;
        this.reporter = reporter;
        this.node = node;
        this.findings = findings;
    }

    /** Before a statement, at {@code now}: the gap lint (throws in STRICT) and the tally of statements that write. */
    public void beforeStatement(ExecuteContext ctx, String shape, long now) {
        if (lastEndNanos >= 0 && lints.transactionGap() != LintMode.OFF
                && now - lastEndNanos > lints.gapThreshold().toNanos()) {
            reporter.report("transaction-gap", lints.transactionGap(), "the transaction on node '" + node
                    + "' sat idle for " + millis(now - lastEndNanos) + " (over "
                    + millis(lints.gapThreshold().toNanos()) + ") before " + shape + ", holding its connection and"
                    + " locks. Do that work before the transaction (db.prepare(...).thenWrite(...)) or after it",
                    findings);
        }
        if (StatementClassifier.classify(ctx.query(), ctx.routine(), ctx.batchQueries(), ctx.sql(),
                ctx.batchSQL()) != StatementClassifier.Kind.READ) {
            wrote = true;
        }
    }

    /** After a statement, successful or not, at {@code end}. */
    public void afterStatement(long end) {
        lastEndNanos = end;
    }

    /** Before the commit: the write-without-writes lint (throws in STRICT). */
    public void beforeCommit(int statementCount) {
        if (!wrote && lints.writeWithoutWrites() != LintMode.OFF) {
            reporter.report("write-without-writes", lints.writeWithoutWrites(), "a write unit on node '"
                    + node + "' ran " + statementCount + " statement(s) and none of them"
                    + " modified data: it held a primary connection and a transaction for reads only. Use db.read(...)"
                    + " or db.parallel(...) (no transaction, a replica)", findings);
        }
    }

    private static String millis(long nanos) {
        return Math.round(nanos / 1e6) + "ms";
    }
}
