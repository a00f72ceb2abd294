package dev.junction.routing;

/** What a read does when no replica is eligible (all down, lagging, circuit open or excluded). */
public enum FallbackPolicy {
    /** Serve the read from the primary; counted with reason {@code fallback} (the default). */
    PRIMARY,
    /** Fail the read with {@link dev.junction.NoEligibleReplicaException}, keeping read load off the primary. */
    FAIL
}
