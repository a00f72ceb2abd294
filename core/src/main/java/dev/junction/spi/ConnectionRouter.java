package dev.junction.spi;

/**
 * Chooses the node for each unit of work and lends out its connections. Implementations are thread-safe.
 * Failures to route are reported as {@link dev.junction.JunctionException} subtypes
 * ({@link dev.junction.NoEligibleReplicaException}, {@link dev.junction.PrimaryUnavailableException},
 * {@link dev.junction.PoolSaturatedException}).
 */
public interface ConnectionRouter extends AutoCloseable {

    /** Lends a connection for the request. The caller must {@link Lease#release release} it exactly once. */
    Lease acquire(RouteRequest request);

    /** Closes pools and background tasks this router owns. */
    @Override
    void close();
}
