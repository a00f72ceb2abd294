package dev.junction.routing.internal;

import dev.junction.ClusterHealth;
import dev.junction.ClusterHealth.Node;
import dev.junction.ClusterHealth.State;
import dev.junction.routing.FallbackPolicy;
import dev.junction.spi.Role;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The UP / DEGRADED / DOWN rule of {@link ClusterHealth}, over node details already judged by {@link Eligibility}:
 * DOWN when no node in the primary role may take writes, DEGRADED when writes work but a replica may not serve reads,
 * else UP. Pure (no I/O, no clock), so each case is unit-tested. Stateless and thread-safe.
 */
public final class HealthRule {
    private HealthRule() {
    }

    /**
     * @param nodes         every node in configuration order, each with its role now and its problem (null when
     *                      eligible)
     * @param writesRefused why writes are refused before any node's health is looked at (a split brain, no node in
     *                      the primary role), or null
     * @param fallback      what reads do when no replica is eligible, for the reason that says so
     */
    public static ClusterHealth verdict(List<Node> nodes, @Nullable String writesRefused, FallbackPolicy fallback) {
        List<String> reasons = new ArrayList<>();
        boolean writable = false;
        if (writesRefused != null) {
            reasons.add("writes are refused: " + writesRefused);
        } else {
            for (Node n : nodes) {
                if (n.role() == Role.PRIMARY) {
                    if (n.eligible()) {
                        writable = true;
                    } else {
                        reasons.add("writes are refused: the primary '" + n.name() + "' " + n.problem());
                    }
                }
            }
            if (!writable && reasons.isEmpty()) {
                reasons.add("writes are refused: no node is the primary");
            }
        }
        List<Node> replicas = nodes.stream().filter(n -> n.role() == Role.REPLICA).toList();
        for (Node r : replicas) {
            if (!r.eligible()) {
                reasons.add("replica '" + r.name() + "' serves no reads: " + r.problem());
            }
        }
        if (!replicas.isEmpty() && replicas.stream().noneMatch(Node::eligible)) {
            reasons.add(fallback == FallbackPolicy.PRIMARY
                    ? "no replica is eligible: reads run on the primary (fallback: primary)"
                    : "no replica is eligible: reads fail with NoEligibleReplicaException (fallback: fail)");
        }
        State state = !writable ? State.DOWN : reasons.isEmpty() ? State.UP : State.DEGRADED;
        return new ClusterHealth(state, nodes, reasons);
    }
}
