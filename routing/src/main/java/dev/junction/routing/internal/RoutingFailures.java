package dev.junction.routing.internal;

import dev.junction.NoEligibleReplicaException;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.PoolSaturatedException;
import dev.junction.PrimaryUnavailableException;
import dev.junction.routing.FallbackPolicy;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The exceptions the router throws, with their messages and their facts as fields. Pure: built from values the
 * router already decided on. The messages are API (tests assert them): change them only on purpose.
 */
final class RoutingFailures {
    private RoutingFailures() {
    }

    static PrimaryUnavailableException primaryUnavailable(String problem, @Nullable Throwable cause) {
        return new PrimaryUnavailableException(problem + "; the write was not applied and can be retried later",
                cause);
    }

    static PoolSaturatedException saturated(NodeRuntime node, AcquireFailure f) {
        int size = node.pool().maximumPoolSize();
        boolean atOnce = f.kind() == AcquireFailure.Kind.SATURATED;
        String what = atOnce
                ? "all " + size + " connections busy and the bulkhead's " + node.maxWaiting()
                        + (node.adaptiveLimit() ? " waiting places (adaptive, up to " + node.fixedMaxWaiting() + ")"
                                : " waiting places")
                        + " taken, so the call was turned away at once"
                : "no connection came free within connectionTimeout (waited " + f.waitedMillis() + "ms for one of "
                        + size + ")";
        return new PoolSaturatedException("pool '" + node.poolName() + "' saturated: " + what + "; raise"
                + " resilience.bulkhead.maxWaiting or maximumPoolSize, shorten the units holding connections, or shed"
                + " load", node.name(), size, node.maxWaiting(),
                atOnce ? Duration.ZERO : Duration.ofMillis(f.waitedMillis()), f.getCause());
    }

    /** A fallback read that found no place of the primary's read share within the pool's connectionTimeout. */
    static PoolSaturatedException fallbackCapped(NodeRuntime primary, int cap, double share) {
        int size = primary.pool().maximumPoolSize();
        Duration waited = primary.pool().connectionTimeout();
        return new PoolSaturatedException("pool '" + primary.poolName() + "' saturated for fallback reads: no"
                + " replica is eligible and the " + cap + " of " + size + " primary connections that reads may take"
                + " (resilience.spill.primaryShare " + share + ") stayed busy for " + waited.toMillis() + "ms; the"
                + " rest is kept for writes. Bring a replica back, raise resilience.spill.primaryShare or shed load",
                primary.name(), size, 0, waited, null);
    }

    /**
     * A read no replica could serve, listing every refused replica and why.
     *
     * @param primaryNote why the primary did not take it either, or null when the fallback policy kept it out
     */
    static NoEligibleReplicaException noEligibleReplica(List<Refusal> refusals, @Nullable String primaryNote,
                                                        FallbackPolicy fallback, @Nullable Throwable cause) {
        StringBuilder sb = new StringBuilder("no replica can serve the read");
        if (refusals.isEmpty()) {
            sb.append(" (none configured)");
        }
        for (Refusal r : refusals) {
            sb.append("; replica '").append(r.node()).append("': ").append(r.detail());
        }
        if (primaryNote != null) {
            sb.append("; ").append(primaryNote);
        }
        sb.append(fallback == FallbackPolicy.FAIL
                ? "; fallback is FAIL, so reads do not go to the primary (set 'fallback: primary' to allow it)"
                : "; fallback is PRIMARY");
        return new NoEligibleReplicaException(sb.toString(), refusals, cause);
    }

    /**
     * A read whose consistency only the primary (or a replica that did not qualify) could satisfy, and the primary
     * could not take it.
     *
     * @param why         why the replicas did not qualify
     * @param primaryWhy  why the primary could not take it, a whole sentence
     */
    static NoEligibleReplicaException notAtConsistency(String why, String primaryWhy, List<Refusal> refusals) {
        return new NoEligibleReplicaException("no node can serve this read at the consistency it asks for: " + why
                + ", and " + primaryWhy + "; the read was not served rather than served stale. Retry later,"
                + " or read with Consistency.eventual() if stale data is acceptable here", refusals, null);
    }
}
