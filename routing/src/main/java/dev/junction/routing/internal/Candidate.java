package dev.junction.routing.internal;

/**
 * What routing decisions read about a node, without I/O: {@link NodeRuntime} in production, plain values in unit
 * tests of {@link Eligibility} and {@link PinnedSelection}.
 */
interface Candidate {
    /** The configured name. */
    String name();

    /** The monitor's last observation. */
    NodeHealth health();

    /** True while the node's circuit breaker is open and its wait has not passed. */
    boolean breakerBlocks();

    /** Why the breaker blocks, in words with its numbers. */
    String breakerDescription();

    /** Leases currently lent by the node. */
    int outstanding();

    /** True while the monitor finds the node far slower than its peers ({@link SlowReplicas}). */
    default boolean slow() {
        return false;
    }
}
