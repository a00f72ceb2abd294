package dev.junction.routing.internal;

import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The replicas one read refused so far and why, at most one entry per replica (a later reason replaces an earlier
 * one in its place), in the order they were first refused. Allocates on the first refusal only: the common read
 * finds an eligible replica and refuses none. Not thread-safe (one read's state).
 */
final class Refusals {
    private @Nullable Map<String, Refusal> byNode;

    void add(Refusal refusal) {
        if (byNode == null) {
            byNode = new LinkedHashMap<>();
        }
        byNode.put(refusal.node(), refusal);
    }

    /** Why {@code node} did not lend a connection: the same words for every read path. */
    void add(NodeRuntime node, AcquireFailure f) {
        add(switch (f.kind()) {
            case SATURATED, TIMEOUT -> new Refusal(node.name(), Reason.POOL_SATURATED, "pool saturated ("
                    + node.pool().maximumPoolSize() + " connections busy, waited " + f.waitedMillis() + "ms)");
            case BREAKER_OPEN -> new Refusal(node.name(), Reason.BREAKER_OPEN, node.breakerDescription());
            case NODE_FAILURE -> new Refusal(node.name(), Reason.CONNECTION_FAILED,
                    "could not connect (" + Probe.describe(f.getCause()) + ")");
        });
    }

    List<Refusal> list() {
        return byNode == null ? List.of() : List.copyOf(byNode.values());
    }
}
