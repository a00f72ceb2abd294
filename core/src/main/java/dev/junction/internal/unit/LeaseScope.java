package dev.junction.internal.unit;

import dev.junction.UnitReport;
import dev.junction.internal.budget.TransactionBudget;
import dev.junction.internal.lint.WriteLints;
import dev.junction.internal.observation.UnitSpan;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.spi.NodeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The state of one connection lease inside a unit of work: whether it is a read scope (guarded against writes), the
 * node, the optional cancellation of a parallel group, and the statements and round trips recorded on it. Confined
 * to the thread that holds the lease; not thread-safe.
 */
final class LeaseScope {
    private final UnitRecorder unit;
    private final NodeRef node;
    private final String reason;
    private final boolean readScope;
    private final @Nullable Cancellation cancellation;
    private final List<UnitReport.StatementReport> statements = new ArrayList<>(4);
    private final List<String> lintFindings = new ArrayList<>(0);
    private final List<String> notes = new ArrayList<>(0);
    private @Nullable TransactionBudget budget;
    private @Nullable WriteLints writeLints;
    private int statementCount;
    private int roundTrips;

    LeaseScope(UnitRecorder unit, NodeRef node, String reason, boolean readScope,
            @Nullable Cancellation cancellation) {
        this.unit = unit;
        this.node = node;
        this.reason = reason;
        this.readScope = readScope;
        this.cancellation = cancellation;
    }

    NodeRef node() {
        return node;
    }

    String reason() {
        return reason;
    }

    /** The kind of the unit this lease belongs to. */
    UnitReport.Kind kind() {
        return unit.kind();
    }

    boolean readScope() {
        return readScope;
    }

    @Nullable Cancellation cancellation() {
        return cancellation;
    }

    /** The unit's span, or null when the Database does not trace units. */
    @Nullable UnitSpan span() {
        return unit.span();
    }

    long unitStartNanos() {
        return unit.startNanos();
    }

    /** Counts the statement's shape for the unit's N+1 lint; throws in STRICT. */
    void statementShape(String shape) {
        unit.statementShape(shape, this);
    }

    /** A statement (or batch) is about to be sent: one statement, one round trip. */
    void statementSent() {
        statementCount++;
        roundTrips++;
    }

    /** A transaction-control message (savepoint, release, commit, rollback) was sent. */
    void roundTrip() {
        roundTrips++;
    }

    int roundTrips() {
        return roundTrips;
    }

    int statementCount() {
        return statementCount;
    }

    void statementFinished(String sql, long startNanos, long endNanos, long rows, boolean failed) {
        if (statements.size() < UnitReport.MAX_STATEMENTS) {
            statements.add(new UnitReport.StatementReport(sql, node, Duration.ofNanos(startNanos - unit.startNanos()),
                    Duration.ofNanos(endNanos - startNanos), rows, failed));
        }
    }

    List<UnitReport.StatementReport> statements() {
        return statements;
    }

    /** Lint names found on this lease, in order. */
    List<String> lintFindings() {
        return lintFindings;
    }

    /** A line for the unit's {@link UnitReport#notes()}, added by code running on this lease. */
    void note(String line) {
        notes.add(line);
    }

    List<String> notes() {
        return notes;
    }

    /** The time budget of a write lease; null for reads. */
    @Nullable TransactionBudget budget() {
        return budget;
    }

    /** The lints of a write lease; null for reads. */
    @Nullable WriteLints writeLints() {
        return writeLints;
    }

    /** Makes this a write lease with its budget and lints, which then see every statement. */
    void write(TransactionBudget transactionBudget, WriteLints lints) {
        this.budget = transactionBudget;
        this.writeLints = lints;
    }
}
