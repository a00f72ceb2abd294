package dev.junction;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a committed {@link Database#write(Work) write} unit: the work's result, the unit's accounting and
 * the commit's {@link ConsistencyToken}. A {@code Commit} exists only for transactions that committed. Immutable and
 * thread-safe.
 *
 * <p>This is a class rather than a record so it can gain members without breaking callers; create instances with
 * {@link #of}.
 *
 * @param <T> the work's result type
 */
public final class Commit<T extends @Nullable Object> {
    private final T value;
    private final UnitReport report;
    private final ConsistencyToken token;

    private Commit(T value, UnitReport report, ConsistencyToken token) {
        this.value = value;
        this.report = Objects.requireNonNull(report, "report");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** A commit outcome; used by {@link Database} implementations. */
    public static <T extends @Nullable Object> Commit<T> of(T value, UnitReport report, ConsistencyToken token) {
        return new Commit<>(value, report, token);
    }

    /**
     * The commit's WAL position on the primary, for read-your-writes: a read with
     * {@code Consistency.after(commit.token())} sees this commit. Carry it across requests and app instances with
     * {@link ConsistencyToken#encode()} (or a {@link ConsistencySession}).
     */
    public ConsistencyToken token() {
        return token;
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
        return o instanceof Commit<?> other && Objects.equals(value, other.value) && report.equals(other.report)
                && token.equals(other.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, report, token);
    }

    @Override
    public String toString() {
        return "Commit[value=" + value + ", token=" + token + ", report=" + report + "]";
    }
}
