package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how many callers may wait for one pool's connections. A caller beyond {@code maximumPoolSize + maxWaiting}
 * is turned away at once with {@link dev.junction.PoolSaturatedException} instead of queueing for the full
 * {@code connectionTimeout}. Immutable and thread-safe, with value equality; start from {@link #defaults()} (as many
 * waiters as the pool has connections) or {@link #builder()} and derive a changed copy with
 * {@link #from(BulkheadSettings)}.
 */
public final class BulkheadSettings {
    private static final BulkheadSettings DEFAULTS = builder().build();

    private final @Nullable Integer maxWaiting;

    private BulkheadSettings(Builder b) {
        this.maxWaiting = b.maxWaiting;
    }

    /** maxWaiting equal to each pool's size. */
    public static BulkheadSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(BulkheadSettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.maxWaiting = existing.maxWaiting;
        return b;
    }

    /** Callers that may wait for a busy pool, or null for "as many as the pool has connections"; 0: nobody waits. */
    public @Nullable Integer maxWaiting() {
        return maxWaiting;
    }

    /** The number of waiting callers allowed for a pool of {@code poolSize} connections. */
    public int maxWaitingFor(int poolSize) {
        return maxWaiting == null ? poolSize : maxWaiting;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkheadSettings other && Objects.equals(maxWaiting, other.maxWaiting);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(maxWaiting);
    }

    @Override
    public String toString() {
        return "BulkheadSettings[maxWaiting=" + maxWaiting + "]";
    }

    /**
     * Options of {@link BulkheadSettings}. Mutable and not thread-safe; the setter checks its value at once
     * ({@link ConfigurationException}, the one place the option is checked), and {@link #build()} copies the value,
     * so a builder can be reused.
     */
    public static final class Builder {
        private @Nullable Integer maxWaiting;

        private Builder() {
        }

        /**
         * One bound for every pool, whatever its size (default: each pool's size).
         *
         * @throws ConfigurationException when {@code callers < 0}
         */
        public Builder maxWaiting(int callers) {
            this.maxWaiting = Checks.atLeast("bulkhead.maxWaiting", callers, 0);
            return this;
        }

        /** The settings; the value was checked by its setter. */
        public BulkheadSettings build() {
            return new BulkheadSettings(this);
        }
    }
}
