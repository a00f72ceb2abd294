package dev.junction.internal.unit;

import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.UnitReport;
import dev.junction.internal.lint.LintReporter;
import dev.junction.internal.observation.UnitSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects one unit of work's accounting. Statements are recorded per connection by {@link LeaseScope} (confined to
 * the thread that holds the connection) and merged here when the connection is released, so the per-statement path
 * takes no lock. Thread-safe.
 */
final class UnitRecorder {
    private final UnitReport.Kind kind;
    private final long startNanos;
    private final List<UnitReport.ConnectionUse> connections = new ArrayList<>(2);
    private final List<UnitReport.StatementReport> statements = new ArrayList<>();
    private int statementCount;
    private int roundTrips;
    private int retries;
    private boolean budgetExceeded;
    private UnitReport.@Nullable Group group;
    private final List<String> lintFindings = new ArrayList<>(0);
    private final List<String> notes = new ArrayList<>(0);

    private final Lints lints;
    private final LintReporter reporter;
    private final Map<String, Integer> shapes = new HashMap<>();
    private final @Nullable UnitSpan span;

    UnitRecorder(UnitReport.Kind kind, Lints lints, LintReporter reporter) {
        this(kind, lints, reporter, null);
    }

    /** @param span the unit's span, or null when the Database does not trace units */
    UnitRecorder(UnitReport.Kind kind, Lints lints, LintReporter reporter, @Nullable UnitSpan span) {
        this.kind = kind;
        this.span = span;
        this.startNanos = System.nanoTime();
        this.lints = lints;
        this.reporter = reporter;
    }

    /**
     * Counts one run of {@code shape} in this unit; the run that goes past the N+1 threshold is a finding (once per
     * shape and unit). Throws in STRICT, before the statement is sent.
     */
    void statementShape(String shape, LeaseScope scope) {
        if (lints.nPlusOne() == LintMode.OFF) {
            return;
        }
        int runs;
        synchronized (this) {
            runs = shapes.merge(shape, 1, Integer::sum);
        }
        if (runs == lints.nPlusOneThreshold() + 1) {
            reporter.report("n-plus-one", lints.nPlusOne(), "the statement " + shape + " ran " + runs + " times in"
                    + " one " + kind.name().toLowerCase(Locale.ROOT) + " unit (threshold "
                    + lints.nPlusOneThreshold() + "): a query per row. Fetch the rows with their relations in one"
                    + " statement: a generated graph fetcher (<Table>Graph.query().with...()), MULTISET or a join",
                    scope.lintFindings());
        }
    }

    /** The unit's span, or null when the Database does not trace units. */
    @Nullable UnitSpan span() {
        return span;
    }

    long startNanos() {
        return startNanos;
    }

    UnitReport.Kind kind() {
        return kind;
    }

    synchronized void released(LeaseScope scope, long holdNanos, boolean failed) {
        connections.add(new UnitReport.ConnectionUse(scope.node(), scope.reason(), Duration.ofNanos(holdNanos),
                failed));
        for (UnitReport.StatementReport s : scope.statements()) {
            if (statements.size() < UnitReport.MAX_STATEMENTS) {
                statements.add(s);
            }
        }
        statementCount += scope.statementCount();
        roundTrips += scope.roundTrips();
        lintFindings.addAll(scope.lintFindings());
        notes.addAll(scope.notes());
    }

    synchronized void retried() {
        retries++;
    }

    /** The write ran past its transaction budget. */
    synchronized void budgetExceeded() {
        budgetExceeded = true;
    }

    /** How the parallel group of this unit ran. */
    synchronized void group(UnitReport.Group summary) {
        group = summary;
    }

    synchronized UnitReport finish(UnitReport.Outcome outcome) {
        List<UnitReport.StatementReport> ordered = statements; // the report copies it
        if (kind == UnitReport.Kind.PARALLEL) {
            ordered = new ArrayList<>(statements);
            ordered.sort(Comparator.comparing(UnitReport.StatementReport::startOffset));
        }
        return new UnitReport(kind, outcome, connections, ordered, statementCount, roundTrips, retries,
                Duration.ofNanos(System.nanoTime() - startNanos), lintFindings, budgetExceeded, notes, group);
    }
}
