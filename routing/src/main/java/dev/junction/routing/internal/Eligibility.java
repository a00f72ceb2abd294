package dev.junction.routing.internal;

import dev.junction.ConsistencyToken;
import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.spi.Role;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a node may serve a read or take a write now, judged from the monitor's last observation and the node's
 * breaker alone: no I/O, so each rule is unit-tested. The words are those of the router's exception messages.
 */
final class Eligibility {
    private Eligibility() {
    }

    /** Why a replica may not serve a read now, or null when it may; the first reason found, in a fixed order. */
    static @Nullable Refusal replica(Candidate r, Set<String> excluded, LagPolicy lagPolicy) {
        if (excluded.contains(r.name())) {
            return new Refusal(r.name(), Reason.EXCLUDED, "excluded by the request (a retry after it failed there)");
        }
        NodeHealth h = r.health();
        if (!h.checked()) {
            return new Refusal(r.name(), Reason.NOT_CHECKED, "not checked yet");
        }
        if (!h.up()) {
            return new Refusal(r.name(), Reason.DOWN, "down (" + h.lastError() + ")");
        }
        if (h.observedRole() != Role.REPLICA) {
            return new Refusal(r.name(), Reason.WRONG_ROLE,
                    "not in recovery (pg_is_in_recovery() = false): it is a primary, not used as a replica");
        }
        if (h.offHistory() != null) {
            return new Refusal(r.name(), Reason.OFF_HISTORY, h.offHistory());
        }
        if (r.breakerBlocks()) {
            return new Refusal(r.name(), Reason.BREAKER_OPEN, r.breakerDescription());
        }
        if (h.lagExcluded()) {
            return new Refusal(r.name(), Reason.LAGGING, "lagging " + (h.lagBytes() == null ? "?" : h.lagBytes())
                    + " bytes / " + (h.lag() == null ? "?" : Durations.format(h.lag())) + " behind the primary ("
                    + lagPolicy.describeLimits() + ")");
        }
        return null;
    }

    /** Why the primary may not take work now (a predicate: "is down (...)"), or null when it may. */
    static @Nullable String primary(Candidate p) {
        NodeHealth h = p.health();
        if (h.checked() && !h.up()) {
            return "is down (" + h.lastError() + ")";
        }
        if (h.up() && h.observedRole() == Role.REPLICA) {
            return "is in recovery (pg_is_in_recovery() = true): a standby cannot take writes";
        }
        if (p.breakerBlocks()) {
            return "has its " + p.breakerDescription();
        }
        return null;
    }

    /**
     * Why an otherwise eligible replica cannot be known, from its last observation, to hold the token's commit; null
     * when it has replayed the token's position on the token's timeline.
     */
    static @Nullable Refusal token(Candidate r, ConsistencyToken token) {
        NodeHealth h = r.health();
        if (!onTokenTimeline(h, token)) {
            return new Refusal(r.name(), Reason.TOKEN_TIMELINE, (h.timeline() == null ? "its timeline is unknown"
                    : "on timeline " + h.timeline()) + ", not the token's timeline " + token.timeline());
        }
        Long replayed = h.lsn();
        if (replayed == null || Long.compareUnsigned(replayed, token.lsn()) < 0) {
            return new Refusal(r.name(), Reason.BEHIND_TOKEN, "last seen at replay position "
                    + (replayed == null ? "?" : Lsn.format(replayed)) + ", before the token's " + token.lsnText());
        }
        return null;
    }

    /**
     * Whether a replica is known to be on the token's timeline. Positions of different timelines are not
     * comparable: after a failover a replica of the new primary can be past the token's position without holding
     * the token's commit (it was lost with the old primary, or the replica forked off before it). A replica whose
     * timeline is unknown is never judged to have reached a token.
     */
    static boolean onTokenTimeline(NodeHealth health, ConsistencyToken token) {
        Integer timeline = health.timeline();
        return timeline != null && timeline == token.timeline();
    }
}
