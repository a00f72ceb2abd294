package dev.junction.spi;

import java.sql.Connection;
import org.jspecify.annotations.Nullable;

/**
 * A connection handed to one unit of work, and the obligation to give it back exactly once.
 * Not thread-safe: a lease belongs to the thread that runs the unit.
 */
public interface Lease {

    /** The connection; autocommit on, as the pool hands it out. */
    Connection connection();

    /** The node that serves this lease. */
    NodeRef node();

    /** Why the router chose this node, as a bounded meter tag value, e.g. {@code replica}, {@code fallback}. */
    String reason();

    /**
     * The node's recent round-trip time as the router measures it (the median of its health checks' round trips), in
     * nanoseconds; -1 when the router does not measure it. Junction hands it to the unit's jOOQ configuration
     * ({@link NetworkHints}), where the graph fetch's automatic strategy reads it.
     */
    default long roundTripNanos() {
        return -1;
    }

    /**
     * Returns the connection to its pool. {@code failure} is the error that ended the unit, if any; the router uses
     * it to tell connection-level failures (which count against the node's health) from SQL errors (which do not).
     */
    void release(@Nullable Throwable failure);
}
