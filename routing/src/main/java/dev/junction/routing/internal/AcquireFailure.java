package dev.junction.routing.internal;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Why one node could not lend a connection. Internal control flow between a node and the router. */
public final class AcquireFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** What refused. */
    public enum Kind {
        /** The bulkhead is full: pool busy and maxWaiting callers already waiting. */
        SATURATED,
        /** The breaker did not permit a call (open, or half-open trial calls used up). */
        BREAKER_OPEN,
        /** The pool timed out while the node was healthy but busy. */
        TIMEOUT,
        /** The node could not be reached or refused the connection. */
        NODE_FAILURE
    }

    private final Kind kind;
    private final long waitedMillis;

    AcquireFailure(Kind kind, long waitedMillis, @Nullable SQLException cause) {
        super(kind.name(), cause, false, false);
        this.kind = kind;
        this.waitedMillis = waitedMillis;
    }

    public Kind kind() {
        return kind;
    }

    public long waitedMillis() {
        return waitedMillis;
    }

    public @Nullable SQLException sqlCause() {
        return (SQLException) getCause();
    }
}
