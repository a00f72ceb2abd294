package dev.junction.routing;

/** How a read picks one of the eligible replicas; every strategy honours the replicas' {@link NodeConfig#weight()}. */
public enum SelectionStrategy {
    /** Each eligible replica in turn (the default). */
    ROUND_ROBIN,
    /** A uniformly random eligible replica. */
    RANDOM,
    /** The eligible replica with the fewest leases outstanding right now (per unit of weight); ties go round-robin. */
    LEAST_OUTSTANDING,
    /**
     * The eligible replica with the lowest recent response time times its outstanding leases (per unit of weight),
     * with a little randomness so equal replicas share the load: a replica that answers slowly, for a noisy
     * neighbour or a longer network path, gets fewer reads until the others are busy.
     */
    LATENCY_AWARE
}
