package dev.junction.routing;

/** State of a node's circuit breaker, as shown in {@link NodeStatus}. */
public enum BreakerState {
    /** Calls flow; failures are counted. */
    CLOSED,
    /** Too many connection failures: the node is not used until the wait in open state has passed. */
    OPEN,
    /** Trial calls are let through; their outcome closes or re-opens the breaker. */
    HALF_OPEN
}
