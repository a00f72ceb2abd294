package dev.junction.routing.internal;

import dev.junction.ConsistencyToken;
import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.routing.ConsistencySettings;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads that must see a consistency token's commit: a replica known to have replayed it (the monitor's last
 * observation, or the highest position the replica has shown a token read, {@link ReplayPositions}); else the behind
 * replicas, furthest first, one after the other within one wait bound, skipping those that recently needed longer
 * than the bound ({@link ReplayEstimate}); else the primary. Never a replica that
 * has not replayed the token, nor one not known to be on the token's timeline. Thread-safe.
 */
final class TokenRoute {
    private static final Logger log = LoggerFactory.getLogger(TokenRoute.class);

    private final List<NodeRuntime> replicas;
    private final List<NodeRuntime> all;
    private final ConsistencySettings settings;
    private final LagPolicy lagPolicy;
    private final PinnedSelection selection;
    private final PrimaryRoute primary;
    private final EventualRoute eventual;
    private final Decisions decisions;
    private final TokenWaits waits = new TokenWaits();
    private final ReplayPositions positions;
    private final AtomicBoolean foreignWarned = new AtomicBoolean();

    TokenRoute(List<NodeRuntime> replicas, List<NodeRuntime> all, ConsistencySettings settings, LagPolicy lagPolicy,
               PinnedSelection selection, PrimaryRoute primary, EventualRoute eventual, Decisions decisions) {
        this.replicas = replicas;
        this.all = all;
        this.settings = settings;
        this.lagPolicy = lagPolicy;
        this.selection = selection;
        this.primary = primary;
        this.eventual = eventual;
        this.decisions = decisions;
        this.positions = new ReplayPositions(replicas);
    }

    Lease acquire(RouteRequest request, ConsistencyToken token) {
        long cluster = clusterIdentifier();
        if (token.systemIdentifier() != 0 && cluster != 0 && token.systemIdentifier() != cluster) {
            if (foreignWarned.compareAndSet(false, true)) {
                log.warn("a consistency token of another cluster (system identifier {}, this one is {}) was used;"
                        + " such reads go to the primary. Tokens must come from writes to this cluster (logged once)",
                        Long.toUnsignedString(token.systemIdentifier()), Long.toUnsignedString(cluster));
            }
            return primary.onlyPrimary(RouteReason.TOKEN_FOREIGN, "the token belongs to another cluster", request,
                    replicas, null);
        }
        if (settings.mode() == ConsistencySettings.Mode.TIME) {
            if (Instant.now().isBefore(token.committedAt().plus(settings.primaryWindow()))) {
                return primary.onlyPrimary(RouteReason.TOKEN_PRIMARY,
                        "the commit is younger than consistency.primaryWindow", request, replicas, null);
            }
            return eventual.acquire(request, RouteReason.TOKEN_REPLICA);
        }
        return byReplayPosition(request, token);
    }

    /**
     * A replica known to have replayed the token (by the monitor's last look or by the highest position the replica
     * has shown a token read); else the behind replicas, furthest first, each waited on with what is left of
     * {@code consistency.maxWait} when its {@link ReplayEstimate} says waiting can succeed in that time and skipped
     * otherwise; else the primary at once.
     */
    private Lease byReplayPosition(RouteRequest request, ConsistencyToken token) {
        Refusals refusals = new Refusals();
        Set<String> tried = new HashSet<>();
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        boolean skipped = false;
        long waitedNanos = 0; // over every replica this read checked; counted once per read
        boolean checked = false;
        while (true) {
            List<NodeRuntime> eligible = new ArrayList<>();
            List<NodeRuntime> ready = new ArrayList<>();
            for (NodeRuntime r : replicas) {
                if (tried.contains(r.name())) {
                    continue;
                }
                Refusal refusal = Eligibility.replica(r, request.excluded(), lagPolicy);
                if (refusal == null) {
                    refusal = Eligibility.token(r, token);
                    if (refusal != null && refusal.reason() == Reason.BEHIND_TOKEN && positions.reached(r, token)) {
                        refusal = null; // a read has seen it replay the token since the monitor looked
                    }
                    if (refusal == null || refusal.reason() == Reason.BEHIND_TOKEN) {
                        eligible.add(r);
                    }
                    if (refusal == null) {
                        ready.add(r);
                    }
                }
                if (refusal != null) {
                    refusals.add(refusal);
                }
            }
            if (!ready.isEmpty()) {
                List<NodeRuntime> fast = SlowReplicas.preferFast(ready);
                if (fast != ready) {
                    decisions.count(RouteReason.SLOW_REPLICA);
                }
                NodeRuntime chosen = selection.choose(request.pinned(), fast);
                try {
                    Lease lease = decisions.lend(chosen, Role.REPLICA, RouteReason.TOKEN_REPLICA);
                    if (checked) {
                        waits.record(waitedNanos, true); // found caught up after another replica was checked
                    }
                    return lease;
                } catch (AcquireFailure f) {
                    tried.add(chosen.name());
                    refusals.add(chosen, f);
                    continue;
                }
            }
            if (eligible.isEmpty() || settings.maxWait().isZero()) {
                break;
            }
            NodeRuntime chosen = furthest(SlowReplicas.preferFast(eligible), token.timeline());
            tried.add(chosen.name());
            long now = System.nanoTime();
            long remaining = Math.max(0, deadline - now);
            ReplayEstimate estimate = positions.estimate(chosen);
            if (!estimate.worthWaiting(remaining, now)) {
                skipped = true;
                refusals.add(new Refusal(chosen.name(), Reason.BEHIND_TOKEN, "had not replayed the token's position "
                        + token.lsnText() + ", and recently needed about "
                        + Durations.format(Duration.ofNanos(estimate.estimateNanos())) + " to replay one, more than"
                        + " the " + Durations.format(Duration.ofNanos(remaining)) + " left of consistency.maxWait "
                        + Durations.format(settings.maxWait()) + ": not waited for"));
                continue;
            }
            Connection c;
            try {
                c = chosen.borrow();
            } catch (AcquireFailure f) {
                refusals.add(chosen, f);
                continue;
            }
            long started = System.nanoTime();
            long bound = Math.max(0, deadline - started);
            TokenWaits.Outcome outcome;
            try {
                outcome = TokenWaits.awaitReplay(c, token.lsn(), token.timeline(), Duration.ofNanos(bound));
            } catch (SQLException | RuntimeException e) {
                chosen.giveBack(c, e, System.nanoTime() - started);
                refusals.add(new Refusal(chosen.name(), Reason.CONNECTION_FAILED,
                        "failed while its replay position was checked (" + Probe.describe(e) + ")"));
                decisions.count(RouteReason.FAILOVER);
                continue;
            }
            long waited = System.nanoTime() - started;
            if (outcome.lsn() >= 0) {
                positions.shown(chosen, outcome.timeline(), outcome.lsn());
            }
            waitedNanos += waited;
            checked = true;
            if (outcome.reached()) {
                waits.record(waitedNanos, true);
                estimate.reached(waited);
                RouteReason reason = outcome.checks() == 1 ? RouteReason.TOKEN_REPLICA : RouteReason.TOKEN_WAITED;
                decisions.count(reason);
                return Decisions.lease(chosen, c, Role.REPLICA, reason);
            }
            if (bound > 0) {
                estimate.ranOut(bound);
            }
            chosen.giveBack(c, null, waited);
            refusals.add(new Refusal(chosen.name(), Reason.BEHIND_TOKEN, "had not replayed the token's position "
                    + token.lsnText() + " on timeline " + token.timeline() + " within consistency.maxWait "
                    + Durations.format(settings.maxWait())));
            // The next behind replica gets what is left of the wait (at least one look) before the primary.
        }
        if (checked) {
            waits.record(waitedNanos, false);
        }
        return primary.onlyPrimary(RouteReason.TOKEN_PRIMARY, "no replica on the token's timeline "
                + token.timeline() + " had replayed its position " + token.lsnText() + (skipped
                        ? " (replicas that recently needed longer than consistency.maxWait to replay were not waited"
                                + " for)" : " within consistency.maxWait " + Durations.format(settings.maxWait())),
                request, replicas, refusals.list());
    }

    /** The replica with the furthest known replay position on {@code timeline}; the first of equals. */
    private NodeRuntime furthest(List<NodeRuntime> candidates, int timeline) {
        NodeRuntime best = candidates.get(0);
        long bestPosition = positions.position(best, timeline);
        for (int i = 1; i < candidates.size(); i++) {
            long p = positions.position(candidates.get(i), timeline);
            if (Long.compareUnsigned(p, bestPosition) > 0) {
                best = candidates.get(i);
                bestPosition = p;
            }
        }
        return best;
    }

    /** The cluster's system identifier as any node reported it, 0 when none could. */
    private long clusterIdentifier() {
        for (NodeRuntime n : all) {
            long id = n.systemIdentifier();
            if (id != 0) {
                return id;
            }
        }
        return 0;
    }

    /** Consistency-token waits so far. */
    TokenWaits.Snapshot waits() {
        return waits.snapshot();
    }
}
