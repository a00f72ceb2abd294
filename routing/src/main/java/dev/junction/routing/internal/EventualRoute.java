package dev.junction.routing.internal;

import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.routing.FallbackPolicy;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * Reads that any eligible replica may serve: the pinned one or one by strategy, among the replicas that are not
 * slow when there are such ({@link SlowReplicas#preferFast}), failing over to the next replica
 * when one cannot give a connection, then to the primary or failing by the fallback policy. When every replica that
 * could serve is busy the read is shed ({@code PoolSaturatedException}) rather than moved onto the primary.
 * Thread-safe.
 */
final class EventualRoute {
    private final List<NodeRuntime> replicas;
    private final LagPolicy lagPolicy;
    private final FallbackPolicy fallback;
    private final PinnedSelection selection;
    private final PrimaryRoute primary;
    private final Decisions decisions;
    private final PrimaryReadShare share;

    EventualRoute(List<NodeRuntime> replicas, LagPolicy lagPolicy, FallbackPolicy fallback, PinnedSelection selection,
                  PrimaryRoute primary, Decisions decisions, PrimaryReadShare share) {
        this.share = share;
        this.replicas = replicas;
        this.lagPolicy = lagPolicy;
        this.fallback = fallback;
        this.selection = selection;
        this.primary = primary;
        this.decisions = decisions;
    }

    /**
     * @param replicaReason the reason of a lease on a replica chosen by strategy ({@code replica}, or
     *                      {@code token_replica} for a token old enough for any replica)
     */
    Lease acquire(RouteRequest request, RouteReason replicaReason) {
        Refusals refusals = new Refusals();
        Set<String> tried = null; // allocated on the first failure only, like the refusals
        AcquireFailure saturation = null;
        NodeRuntime saturatedNode = null;
        Throwable lastFailure = null;
        while (true) {
            List<NodeRuntime> eligible = new ArrayList<>(replicas.size());
            for (NodeRuntime r : replicas) {
                if (tried != null && tried.contains(r.name())) {
                    continue;
                }
                Refusal refusal = Eligibility.replica(r, request.excluded(), lagPolicy);
                if (refusal == null) {
                    eligible.add(r);
                } else {
                    refusals.add(refusal);
                }
            }
            if (eligible.isEmpty()) {
                break;
            }
            if (tried == null && share.spills() && allBusy(eligible, request.pinned())) {
                Lease spilled = spill(request);
                if (spilled != null) {
                    return spilled;
                }
            }
            List<NodeRuntime> fast = SlowReplicas.preferFast(eligible);
            if (fast != eligible) {
                decisions.count(RouteReason.SLOW_REPLICA);
            }
            NodeRuntime chosen = selection.choose(request.pinned(), fast);
            RouteReason reason = PinnedSelection.isPinned(request.pinned(), chosen) ? RouteReason.PINNED
                    : replicaReason;
            try {
                return decisions.lend(chosen, Role.REPLICA, reason);
            } catch (AcquireFailure f) {
                tried = tried != null ? tried : new HashSet<>();
                tried.add(chosen.name());
                refusals.add(chosen, f);
                switch (f.kind()) {
                    case SATURATED, TIMEOUT -> {
                        saturation = f;
                        saturatedNode = chosen;
                    }
                    case BREAKER_OPEN -> { }
                    case NODE_FAILURE -> {
                        lastFailure = f.getCause();
                        decisions.count(RouteReason.FAILOVER);
                    }
                }
            }
        }
        if (saturation != null && saturatedNode != null && lastFailure == null) {
            // Every replica that could serve is busy: spill into the primary's share if it has room now, else shed
            // the read rather than cascade the load onto the primary.
            Lease spilled = share.spills() ? spill(request) : null;
            if (spilled != null) {
                return spilled;
            }
            decisions.count(RouteReason.SATURATED);
            throw RoutingFailures.saturated(saturatedNode, saturation);
        }
        boolean primaryAllowed = primary.allowedFor(request);
        if (replicas.isEmpty() && primaryAllowed) {
            return onPrimary(RouteReason.PRIMARY, refusals, lastFailure, request);
        }
        if (fallback == FallbackPolicy.PRIMARY && primaryAllowed) {
            return onPrimary(RouteReason.FALLBACK, refusals, lastFailure, request);
        }
        decisions.count(RouteReason.NO_ELIGIBLE_REPLICA);
        throw RoutingFailures.noEligibleReplica(refusals.list(),
                primaryAllowed ? null : "the primary is excluded by this request", fallback, lastFailure);
    }

    /**
     * True when no eligible replica has a connection to lend without queueing (and the pinned one, if any, is not
     * among them: a group's works stay on their node while it is eligible).
     */
    private static boolean allBusy(List<NodeRuntime> eligible, @Nullable String pinned) {
        for (NodeRuntime r : eligible) {
            if (r.name().equals(pinned) || r.outstanding() < r.pool().maximumPoolSize()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A lease on the primary within its read share, if it has a connection idle now; else null. Never with
     * {@code fallback: fail}: a user who keeps reads off the primary when replicas are down keeps them off it when
     * replicas are busy too.
     */
    private @Nullable Lease spill(RouteRequest request) {
        if (fallback != FallbackPolicy.PRIMARY || !primary.allowedFor(request)) {
            return null;
        }
        NodeRuntime p = primary.target().usable();
        if (p == null || request.excluded().contains(p.name()) || p.outstanding() >= p.pool().maximumPoolSize()) {
            return null;
        }
        return share.trySpill(p, decisions);
    }

    private Lease onPrimary(RouteReason reason, Refusals refusals, @Nullable Throwable lastFailure,
                            RouteRequest request) {
        Semaphore place = null;
        if (reason == RouteReason.FALLBACK) {
            NodeRuntime p = primary.target().usable();
            if (p != null && !request.excluded().contains(p.name())) {
                place = share.enterFallback(p, decisions);
                if (place == null) {
                    decisions.count(RouteReason.SATURATED);
                    throw RoutingFailures.fallbackCapped(p, share.cap(p), share.share());
                }
            }
        }
        PrimaryRoute.Read attempt;
        try {
            attempt = primary.read(reason, request);
        } catch (RuntimeException | Error e) {
            if (place != null) {
                place.release();
            }
            throw e;
        }
        if (attempt.lease() != null) {
            return place == null ? attempt.lease() : PrimaryReadShare.placed(attempt.lease(), place);
        }
        if (place != null) {
            place.release();
        }
        decisions.count(RouteReason.NO_ELIGIBLE_REPLICA);
        NodeRuntime named = attempt.named();
        throw RoutingFailures.noEligibleReplica(refusals.list(), named != null ? "primary '" + named.name()
                        + "' cannot take the fallback either: it " + attempt.why()
                        : "no primary can take the fallback either: " + attempt.why(), fallback,
                attempt.cause() != null ? attempt.cause() : lastFailure);
    }
}
