package dev.junction;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work's result together with its accounting, as returned by {@link Database#readReported(Work)}.
 * Immutable.
 *
 * @param value  the work's result
 * @param report what the unit did: nodes, statements, round trips, connection hold time
 */
public record Reported<T extends @Nullable Object>(T value, UnitReport report) {
    public Reported {
        Objects.requireNonNull(report, "report");
    }
}
