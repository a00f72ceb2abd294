package dev.junction;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a committed {@link Database#write(Work) write} unit: the work's result and the unit's accounting.
 * A {@code Commit} exists only for transactions that committed. Immutable and thread-safe.
 *
 * <p>This is a class rather than a record so it can gain members (a consistency token is planned) without breaking
 * callers; create instances with {@link #of}.
 *
 * @param <T> the work's result type
 */
public final class Commit<T extends @Nullable Object> {
    private final T value;
    private final UnitReport report;

    private Commit(T value, UnitReport report) {
        this.value = value;
        this.report = Objects.requireNonNull(report, "report");
    }

    /** A commit outcome; used by {@link Database} implementations. */
    public static <T extends @Nullable Object> Commit<T> of(T value, UnitReport report) {
        return new Commit<>(value, report);
    }

    /** The work's result. */
    public T value() {
        return value;
    }

    /** What the unit did: node, statements, round trips (including the commit), connection hold time. */
    public UnitReport report() {
        return report;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Commit<?> other && Objects.equals(value, other.value) && report.equals(other.report);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, report);
    }

    @Override
    public String toString() {
        return "Commit[value=" + value + ", report=" + report + "]";
    }
}
