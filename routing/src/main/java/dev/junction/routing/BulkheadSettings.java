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
    private final boolean adaptive;

    private BulkheadSettings(Builder b) {
        this.maxWaiting = b.maxWaiting;
        this.adaptive = b.adaptive;
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
        b.adaptive = existing.adaptive;
        return b;
    }

    /** Callers that may wait for a busy pool, or null for "as many as the pool has connections"; 0: nobody waits. */
    public @Nullable Integer maxWaiting() {
        return maxWaiting;
    }

    /**
     * True when the waiting places follow the node's latency (default false): the number of callers allowed at a node
     * moves between the pool's size and {@code maximumPoolSize + maxWaiting}, shrinking once callers wait longer for
     * a connection than connections are held, so the excess is turned away at once instead of queueing into
     * {@code connectionTimeout}. See {@code docs/routing.md}, "Adaptive limit".
     */
    public boolean adaptive() {
        return adaptive;
    }

    /** The number of waiting callers allowed for a pool of {@code poolSize} connections. */
    public int maxWaitingFor(int poolSize) {
        return maxWaiting == null ? poolSize : maxWaiting;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkheadSettings other && Objects.equals(maxWaiting, other.maxWaiting)
                && adaptive == other.adaptive;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxWaiting, adaptive);
    }

    @Override
    public String toString() {
        return "BulkheadSettings[maxWaiting=" + maxWaiting + ", adaptive=" + adaptive + "]";
    }

    /**
     * Options of {@link BulkheadSettings}. Mutable and not thread-safe; the setter checks its value at once
     * ({@link ConfigurationException}, the one place the option is checked), and {@link #build()} copies the value,
     * so a builder can be reused.
     */
    public static final class Builder {
        private @Nullable Integer maxWaiting;
        private boolean adaptive;

        private Builder() {
        }

        /**
         * Whether the waiting places adapt to the node's latency ({@link BulkheadSettings#adaptive()}); off by
         * default, {@link #maxWaiting(int)} is then the upper bound.
         */
        public Builder adaptive(boolean on) {
            this.adaptive = on;
            return this;
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
