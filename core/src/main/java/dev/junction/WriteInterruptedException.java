package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * A write lost its primary while it ran: the connection broke or the server ended the session (SQLState class 08,
 * 57P01-57P03), or the node answered as a standby (25006, it was demoted during a failover). Junction never re-runs
 * the write by itself; whether the caller may is {@link #isRetryable()}:
 *
 * <ul>
 *   <li>{@code true}: it failed before its commit was sent, and PostgreSQL rolls back a transaction whose session
 *       ends, so nothing was applied; run it again once a primary is available (a failover takes seconds);</li>
 *   <li>{@code false}: the connection was lost while the commit was on its way, so the transaction may or may not
 *       have been applied; check (e.g. by a unique key) before running it again.</li>
 * </ul>
 *
 * The message names the node and the SQLState; the server's exception is the cause.
 */
public final class WriteInterruptedException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final boolean applied;

    /**
     * @param node       the node the write ran on
     * @param maybeApplied true when the commit was sent and its outcome is unknown
     */
    public WriteInterruptedException(String message, String node, boolean maybeApplied, @Nullable Throwable cause) {
        super(message, cause);
        this.node = node;
        this.applied = maybeApplied;
    }

    /** The node the write ran on when it was interrupted. */
    public String node() {
        return node;
    }

    /** True when the commit was sent before the connection was lost, so the write may have been applied. */
    public boolean mayHaveBeenApplied() {
        return applied;
    }

    /** True when nothing was applied: the failure came before the commit. */
    @Override
    public boolean isRetryable() {
        return !applied;
    }
}
