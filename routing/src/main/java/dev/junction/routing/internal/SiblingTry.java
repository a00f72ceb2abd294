package dev.junction.routing.internal;

import dev.junction.Consistency;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The extra connections of a parallel group ({@code ConnectionRouter.tryAcquire}): one of the group's pinned node,
 * only while that node still serves the group's reads and has a connection idle now. Never another node (the group's
 * works see one node's state) and never a wait: when the pinned node has nothing idle the group runs the work on a
 * connection it already holds. Thread-safe.
 */
final class SiblingTry {
    private final List<NodeRuntime> replicas;
    private final LagPolicy lagPolicy;
    private final PrimaryRoute primary;
    private final Decisions decisions;

    SiblingTry(List<NodeRuntime> replicas, LagPolicy lagPolicy, PrimaryRoute primary, Decisions decisions) {
        this.replicas = replicas;
        this.lagPolicy = lagPolicy;
        this.primary = primary;
        this.decisions = decisions;
    }

    /** A lease of the request's pinned node if it has one idle now, counted as {@code pinned}; else null. */
    @Nullable Lease tryAcquire(RouteRequest request) {
        String pinned = request.pinned();
        if (request.intent() != Intent.READ || pinned == null
                || !(request.consistency() instanceof Consistency.Eventual)) {
            return null;
        }
        for (NodeRuntime r : replicas) {
            if (r.name().equals(pinned)) {
                if (Eligibility.replica(r, request.excluded(), lagPolicy) == null) {
                    return decisions.tryLend(r, Role.REPLICA, RouteReason.PINNED);
                }
                break;
            }
        }
        NodeRuntime target = primary.target().usable();
        if (replicas.isEmpty() && target != null && target.name().equals(pinned)
                && !request.excluded().contains(pinned)) {
            return decisions.tryLend(target, Role.PRIMARY, RouteReason.PRIMARY);
        }
        // A group that spilled or fell back to the primary stays within the primary's read share: its other works
        // run on the connection it holds.
        return null;
    }
}
