package dev.junction.routing;

/** How a read picks one of the eligible replicas. */
public enum SelectionStrategy {
    /** Each eligible replica in turn (the default). */
    ROUND_ROBIN,
    /** A uniformly random eligible replica. */
    RANDOM,
    /** The eligible replica with the fewest leases outstanding right now; ties go round-robin. */
    LEAST_OUTSTANDING
}
