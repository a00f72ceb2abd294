package dev.junction.spi;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the node for each unit of work and lends out its connections. Implementations are thread-safe.
 * Failures to route are reported as {@link dev.junction.JunctionException} subtypes
 * ({@link dev.junction.NoEligibleReplicaException}, {@link dev.junction.PrimaryUnavailableException},
 * {@link dev.junction.PoolSaturatedException}).
 */
public interface ConnectionRouter extends AutoCloseable {

    /** Lends a connection for the request. The caller must {@link Lease#release release} it exactly once. */
    Lease acquire(RouteRequest request);

    /**
     * Lends a connection for the request only if one is available at once, without waiting in a pool's queue; the
     * caller must {@link Lease#release release} a returned lease exactly once. Junction asks this for the extra
     * connections of a parallel group (the first is taken with {@link #acquire}): when it returns null, the group runs
     * its remaining works on the connections it already holds instead of holding one idle while another waits.
     *
     * <p>The default calls {@link #acquire}, which may wait: a router that cannot tell whether a connection is free
     * keeps the behaviour groups had before, one connection per work. Routers that can tell should implement it;
     * refusals (a node down, a bulkhead full) may return null rather than throw.
     *
     * @return a lease, or null when none is available without waiting
     */
    default @Nullable Lease tryAcquire(RouteRequest request) {
        return acquire(request);
    }

    /**
     * Opens a new connection to the node now serving as primary, outside every pool, for a session the caller keeps
     * for as long as it needs and then closes: Junction uses one per Database, for {@code LISTEN} (lookup-table
     * invalidation across app instances). Optional: the default returns null, and Junction then borrows a pooled
     * primary connection through {@link #acquire} and exchanges it periodically, which costs one pooled connection.
     * Routers that know the primary's address and credentials should open one (with a connect timeout),
     * and must not open it through a transaction-mode connection pooler, which does not keep {@code LISTEN}.
     *
     * @return a new pgJDBC connection in autocommit mode, owned by the caller; or null when not supported
     * @throws SQLException when connecting failed; the caller retries with backoff
     */
    default @Nullable Connection openDedicatedPrimaryConnection() throws SQLException {
        return null;
    }

    /** Closes pools and background tasks this router owns. */
    @Override
    void close();
}
