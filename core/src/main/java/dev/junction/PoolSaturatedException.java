package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * Too many callers are already waiting for a node's pool; this caller was turned away at once instead of queueing
 * for the full pool timeout. The message names the pool, its size and how long the caller waited.
 */
public final class PoolSaturatedException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public PoolSaturatedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
