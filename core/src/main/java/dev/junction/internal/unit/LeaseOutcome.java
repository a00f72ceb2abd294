package dev.junction.internal.unit;

import dev.junction.ConsistencyToken;
import dev.junction.spi.NodeRef;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one lease produced: the work's value (and, for a write, its commit's token), or the failure and the node it
 * happened on, which decides whether a read is retried elsewhere. A failure before any lease was acquired is thrown
 * instead: there is no node to blame. Immutable.
 */
final class LeaseOutcome<T extends @Nullable Object> {
    private final @Nullable T value;
    private final @Nullable ConsistencyToken token;
    private final @Nullable Throwable failure;
    private final @Nullable NodeRef node;

    private LeaseOutcome(@Nullable T value, @Nullable ConsistencyToken token, @Nullable Throwable failure,
            @Nullable NodeRef node) {
        this.value = value;
        this.token = token;
        this.failure = failure;
        this.node = node;
    }

    static <T extends @Nullable Object> LeaseOutcome<T> read(T value) {
        return new LeaseOutcome<>(value, null, null, null);
    }

    static <T extends @Nullable Object> LeaseOutcome<T> committed(T value, ConsistencyToken token) {
        return new LeaseOutcome<>(value, token, null, null);
    }

    /** {@code failure} is a RuntimeException or an Error, already translated for the caller. */
    static <T extends @Nullable Object> LeaseOutcome<T> failed(Throwable failure, NodeRef node) {
        return new LeaseOutcome<>(null, null, failure, node);
    }

    boolean succeeded() {
        return failure == null;
    }

    /** The failure; only when not {@link #succeeded()}. */
    Throwable failure() {
        return Objects.requireNonNull(failure, "failure");
    }

    /** The node the failure happened on; only when not {@link #succeeded()}. */
    NodeRef node() {
        return Objects.requireNonNull(node, "node");
    }

    /** The value, or throws the failure. */
    @SuppressWarnings("unchecked")
    T value() {
        if (failure != null) {
            throw LeaseFailures.rethrow(failure);
        }
        return (T) value;
    }

    /** The commit's token of a successful write. */
    ConsistencyToken token() {
        return Objects.requireNonNull(token, "token");
    }
}
