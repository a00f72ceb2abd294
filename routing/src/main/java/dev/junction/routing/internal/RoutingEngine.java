package dev.junction.routing.internal;

import dev.junction.Consistency;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PrimaryStatus;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes requests over the nodes: writes to the primary ({@link PrimaryRoute}), reads by their consistency: strong
 * ones to the primary, reads after a token to a replica that has replayed it ({@link TokenRoute}), others to an
 * eligible replica ({@link EventualRoute}); reads with a bad token as {@code consistency.invalidToken} says
 * ({@link InvalidTokens}). Which nodes are eligible is {@link Eligibility}'s rule, which replica
 * serves {@link PinnedSelection}'s; every decision is counted by its {@link RouteReason}. Thread-safe.
 */
public final class RoutingEngine {
    private final HealthMonitor monitor;
    private final List<NodeRuntime> replicas;
    private final List<NodeRuntime> all;
    private final LagPolicy lagPolicy;
    private final Decisions decisions = new Decisions();
    private final PrimaryRoute primary;
    private final EventualRoute eventual;
    private final TokenRoute tokens;
    private final InvalidTokens invalidTokens;

    /**
     * @param monitor where writes go ({@link HealthMonitor#view()}), and whom to ask for a check now when a write
     *                finds no usable primary
     */
    public RoutingEngine(RoutingConfig config, List<NodeRuntime> nodes, LagPolicy lagPolicy, HealthMonitor monitor) {
        this.monitor = monitor;
        this.all = List.copyOf(nodes);
        // With discovered roles any node may serve reads while it is a standby; eligibility checks the role seen.
        this.replicas = config.discoversRoles() ? all
                : nodes.stream().filter(n -> n.config().role() == Role.REPLICA).toList();
        this.lagPolicy = lagPolicy;
        PinnedSelection selection = new PinnedSelection(new ReplicaSelector(config.selection()));
        this.primary = new PrimaryRoute(monitor, decisions);
        this.eventual = new EventualRoute(replicas, lagPolicy, config.fallback(), selection, primary, decisions);
        this.tokens = new TokenRoute(replicas, all, config.consistency(), lagPolicy, selection, primary, eventual,
                decisions);
        this.invalidTokens = new InvalidTokens(config.consistency().invalidToken(), decisions);
    }

    public Lease acquire(RouteRequest request) {
        if (request.intent() == Intent.WRITE) {
            return primary.write();
        }
        Consistency consistency = request.consistency();
        if (consistency instanceof Consistency.InvalidToken invalid) {
            consistency = invalidTokens.resolve(invalid);
        }
        if (consistency instanceof Consistency.Strong) {
            return primary.onlyPrimary(RouteReason.STRONG, "strong consistency reads only from the primary", request,
                    replicas, null);
        }
        if (consistency instanceof Consistency.After after) {
            return tokens.acquire(request, after.token());
        }
        return eventual.acquire(request, RouteReason.REPLICA);
    }

    /** Consistency-token waits so far. */
    public TokenWaits.Snapshot tokenWaits() {
        return tokens.waits();
    }

    /** Decisions so far by reason tag ({@link RouteReason#tag()}), sorted by tag; only reasons counted once. */
    public Map<String, Long> counts() {
        return decisions.snapshot();
    }

    public List<NodeStatus> snapshot() {
        List<NodeStatus> out = new ArrayList<>(all.size());
        PrimaryView view = monitor.view();
        for (NodeRuntime n : all) {
            boolean target = n == view.target();
            Role serving = n.config().role() != null ? n.config().role() : target ? Role.PRIMARY : Role.REPLICA;
            boolean eligible = serving == Role.PRIMARY
                    ? target && view.refusal() == null && n.health().up() && Eligibility.primary(n) == null
                    : Eligibility.replica(n, Set.of(), lagPolicy) == null;
            out.add(n.status(eligible, serving));
        }
        return out;
    }

    /** Where writes go now, for {@code ClusterRouter.primaryStatus()}. */
    public PrimaryStatus primaryStatus() {
        return primary.status();
    }
}
