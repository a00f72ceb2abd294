package dev.junction.routing.internal;

import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.routing.PrimaryStatus;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Leases on the node that takes writes now, as the monitor decided: writes, and the reads only the primary may serve
 * (strong consistency, tokens it must answer, fallback). A write is never sent to a node that is down, in recovery,
 * has its breaker open, or while the monitor refuses writes (split brain). Thread-safe.
 */
final class PrimaryRoute {
    private final HealthMonitor monitor;
    private final Decisions decisions;

    PrimaryRoute(HealthMonitor monitor, Decisions decisions) {
        this.monitor = monitor;
        this.decisions = decisions;
    }

    /**
     * Where writes may go now: {@code usable} when it may take work; otherwise {@code why} it may not, a predicate
     * about {@code named} (e.g. "is down (...)") or, when no node is named, a whole sentence.
     */
    record Target(@Nullable NodeRuntime usable, @Nullable NodeRuntime named, @Nullable String why) {
        String sentence() {
            return named == null ? Objects.requireNonNull(why) : "primary '" + named.name() + "' " + why;
        }
    }

    Target target() {
        PrimaryView view = monitor.view();
        NodeRuntime node = view.target();
        if (view.refusal() != null) {
            return new Target(null, null, view.refusal());
        }
        if (node == null) {
            return new Target(null, null, "no node is known to be in the primary role yet");
        }
        String why = Eligibility.primary(node);
        return new Target(why == null ? node : null, node, why);
    }

    Lease write() {
        Target target = target();
        NodeRuntime primary = target.usable();
        if (primary == null) {
            decisions.count(RouteReason.PRIMARY_UNAVAILABLE);
            monitor.requestPoll();
            throw RoutingFailures.primaryUnavailable(target.sentence(), null);
        }
        try {
            return decisions.lend(primary, Role.PRIMARY, RouteReason.PRIMARY);
        } catch (AcquireFailure f) {
            switch (f.kind()) {
                case SATURATED, TIMEOUT -> {
                    decisions.count(RouteReason.SATURATED);
                    throw RoutingFailures.saturated(primary, f);
                }
                case BREAKER_OPEN -> {
                    decisions.count(RouteReason.PRIMARY_UNAVAILABLE);
                    throw RoutingFailures.primaryUnavailable("primary '" + primary.name() + "' has its "
                            + primary.breakerDescription(), null);
                }
                default -> {
                    decisions.count(RouteReason.PRIMARY_UNAVAILABLE);
                    monitor.requestPoll();
                    throw RoutingFailures.primaryUnavailable("primary '" + primary.name() + "' could not connect ("
                            + Probe.describe(f.getCause()) + ")", f.getCause());
                }
            }
        }
    }

    /**
     * A read lease on the primary, or why there is none (as in {@link Target}). Saturation is thrown: it is not a
     * reason to go elsewhere.
     */
    record Read(@Nullable Lease lease, @Nullable NodeRuntime named, String why, @Nullable Throwable cause) {
        String sentence() {
            return named == null ? why : "primary '" + named.name() + "' " + why;
        }
    }

    Read read(RouteReason reason, RouteRequest request) {
        Target target = target();
        NodeRuntime primary = target.usable();
        if (primary == null) {
            return new Read(null, target.named(), Objects.requireNonNull(target.why()), null);
        }
        if (request.excluded().contains(primary.name())) {
            return new Read(null, primary, "is excluded by this request", null);
        }
        try {
            return new Read(decisions.lend(primary, Role.PRIMARY, reason), primary, "", null);
        } catch (AcquireFailure f) {
            if (f.kind() == AcquireFailure.Kind.SATURATED || f.kind() == AcquireFailure.Kind.TIMEOUT) {
                decisions.count(RouteReason.SATURATED);
                throw RoutingFailures.saturated(primary, f);
            }
            return new Read(null, primary, f.kind() == AcquireFailure.Kind.BREAKER_OPEN
                    ? "has its " + primary.breakerDescription()
                    : "could not connect (" + Probe.describe(f.getCause()) + ")", f.getCause());
        }
    }

    /**
     * A read that only the primary may serve; it fails rather than fall back to a replica.
     *
     * @param why      why no replica qualifies, for the message
     * @param refusals why each replica was refused; null to refuse every replica but the write target as
     *                 {@link Reason#PRIMARY_ONLY} with {@code why}
     */
    Lease onlyPrimary(RouteReason reason, String why, RouteRequest request, List<? extends Candidate> replicas,
                      @Nullable List<Refusal> refusals) {
        Read attempt = read(reason, request);
        if (attempt.lease() != null) {
            return attempt.lease();
        }
        decisions.count(RouteReason.NO_ELIGIBLE_REPLICA);
        throw RoutingFailures.notAtConsistency(why, attempt.sentence(),
                refusals != null ? refusals : primaryOnly(why, replicas));
    }

    private List<Refusal> primaryOnly(String why, List<? extends Candidate> replicas) {
        NodeRuntime target = monitor.view().target();
        List<Refusal> out = new ArrayList<>(replicas.size());
        for (Candidate r : replicas) {
            if (r != target) {
                out.add(new Refusal(r.name(), Reason.PRIMARY_ONLY, why));
            }
        }
        return out;
    }

    /** Where writes go now, for {@code ClusterRouter.primaryStatus()}. */
    PrimaryStatus status() {
        PrimaryView view = monitor.view();
        Target target = target();
        NodeRuntime node = view.refusal() == null ? view.target() : null;
        return new PrimaryStatus(node == null ? null : node.name(), view.timeline(),
                view.claimants().stream().map(NodeRuntime::name).toList(),
                target.usable() == null ? target.sentence() : null, monitor.primaryChanges(),
                monitor.splitBrainEpisodes());
    }

    /** Whether the primary is not excluded by the request (or no primary is known, so none is excluded). */
    boolean allowedFor(RouteRequest request) {
        NodeRuntime target = monitor.view().target();
        return target == null || !request.excluded().contains(target.name());
    }
}
