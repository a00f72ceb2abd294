package dev.junction.internal.unit;

import dev.junction.JunctionException;
import dev.junction.WriteInReadScopeException;
import dev.junction.WriteInterruptedException;
import dev.junction.spi.SqlFailures;

/**
 * What a failure on a lease means to the caller: a pooler's lost prepared statement becomes a configuration error, a
 * write that lost its connection or met a demoted primary before its commit becomes a
 * {@link WriteInterruptedException} that says nothing was applied, the server's read-only refusal in a read becomes
 * {@link WriteInReadScopeException}, and a checked exception is wrapped. Stateless.
 */
final class LeaseFailures {
    private LeaseFailures() {
    }

    /** The failure to report for {@code t}, thrown by work on {@code node}; a RuntimeException or an Error. */
    static Throwable translate(Throwable t, String node, boolean read) {
        if (!(t instanceof JunctionException)) {
            RuntimeException pooler = PoolerErrors.translate(t, node);
            if (pooler != null) {
                return pooler;
            }
        }
        if (!read && !(t instanceof JunctionException) && (SqlFailures.isConnectionFailure(t)
                || SqlFailures.isReadOnlyViolation(t))) {
            // Before the commit: PostgreSQL rolls back the transaction of a session that ends, and a standby
            // applies nothing, so the write is safe to run again; Junction leaves that to the caller.
            String what = SqlFailures.isReadOnlyViolation(t)
                    ? "was refused as read-only (SQLState 25006): the node is a standby now, demoted during a failover,"
                    : "lost its connection (SQLState " + SqlFailures.sqlState(t) + ")";
            return new WriteInterruptedException("write on node '" + node + "' " + what
                    + " before its commit; nothing was applied and it was not retried. Run it again once a primary"
                    + " takes writes (isRetryable() = true): " + t.getMessage(), node, false, t);
        }
        if (read && !(t instanceof WriteInReadScopeException) && SqlFailures.isReadOnlyViolation(t)) {
            return new WriteInReadScopeException("Write refused by the server in a read scope (SQLState 25006) on"
                    + " node '" + node + "'. Use db.write(...) for statements that modify data or"
                    + " lock rows.", t);
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            return t;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new JunctionException((read ? "read" : "write") + " work on node '" + node
                + "' failed with " + t.getClass().getName() + "; see the cause", t);
    }

    /** Throws {@code t} when it is an Error, else returns it to be thrown: a translated failure is never checked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }

    /** Whether {@code failure} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
