package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how many callers may wait for one pool's connections. A caller beyond {@code maximumPoolSize + maxWaiting}
 * is turned away at once with {@link dev.junction.PoolSaturatedException} instead of queueing for the full
 * {@code connectionTimeout}. Immutable and thread-safe.
 *
 * @param maxWaiting callers that may wait for a busy pool, or null for "as many as the pool has connections"
 *                   (the default); 0 means nobody waits
 */
public record BulkheadSettings(@Nullable Integer maxWaiting) {

    /** maxWaiting equal to each pool's size. */
    public static final BulkheadSettings DEFAULTS = new BulkheadSettings(null);

    public BulkheadSettings {
        if (maxWaiting != null) {
            Checks.atLeast("bulkhead.maxWaiting", maxWaiting, 0);
        }
    }

    /**
     * @throws IllegalArgumentException when {@code maxWaiting < 0}
     */
    public static BulkheadSettings maxWaiting(int maxWaiting) {
        return new BulkheadSettings(maxWaiting);
    }

    /** The number of waiting callers allowed for a pool of {@code poolSize} connections. */
    public int maxWaitingFor(int poolSize) {
        return maxWaiting == null ? poolSize : maxWaiting;
    }
}
