package dev.junction;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A node's pool could not lend a connection in time: every connection was busy and the bulkhead's waiting places were
 * taken, so this caller was turned away at once instead of queueing, or no connection came free within the pool's
 * timeout. The message names the pool, its size and how long the caller waited; the same facts are fields, so a
 * caller can shed or back off by them without parsing text.
 */
public final class PoolSaturatedException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final int poolSize;
    private final int maxWaiting;
    private final Duration waited;

    /**
     * @param node       the node whose pool refused
     * @param poolSize   the pool's maximum size
     * @param maxWaiting the bulkhead's waiting places beyond the pool's size
     * @param waited     how long this caller waited for a connection; zero when it was turned away at once
     */
    public PoolSaturatedException(String message, String node, int poolSize, int maxWaiting, Duration waited,
                                  @Nullable Throwable cause) {
        super(message, cause);
        this.node = Objects.requireNonNull(node, "node");
        this.poolSize = poolSize;
        this.maxWaiting = maxWaiting;
        this.waited = Objects.requireNonNull(waited, "waited");
    }

    /** The configured name of the node whose pool refused (its pool is {@code junction-<node>}). */
    public String node() {
        return node;
    }

    /** The pool's maximum size: that many connections were lent out when the caller was refused. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * How many callers the node's bulkhead lets wait for a connection beyond the pool's size. When {@link #waited()}
     * is zero, the caller was turned away at once because all of these places were taken.
     */
    public int maxWaiting() {
        return maxWaiting;
    }

    /** How long this caller waited for a connection before it was refused; zero when it was turned away at once. */
    public Duration waited() {
        return waited;
    }
}
