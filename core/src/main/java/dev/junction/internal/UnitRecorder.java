package dev.junction.internal;

import dev.junction.UnitReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
    private final List<String> lintFindings = new ArrayList<>(0);

    UnitRecorder(UnitReport.Kind kind) {
        this.kind = kind;
        this.startNanos = System.nanoTime();
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
    }

    synchronized void retried() {
        retries++;
    }

    synchronized UnitReport finish(UnitReport.Outcome outcome) {
        List<UnitReport.StatementReport> ordered = new ArrayList<>(statements);
        if (kind == UnitReport.Kind.PARALLEL) {
            ordered.sort(Comparator.comparing(UnitReport.StatementReport::startOffset));
        }
        return new UnitReport(kind, outcome, connections, ordered, statementCount, roundTrips, retries,
                Duration.ofNanos(System.nanoTime() - startNanos), lintFindings);
    }
}
