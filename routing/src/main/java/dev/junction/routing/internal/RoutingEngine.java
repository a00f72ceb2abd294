package dev.junction.routing.internal;

import dev.junction.ClusterHealth;
import dev.junction.Consistency;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.routing.FallbackPolicy;
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
import org.jspecify.annotations.Nullable;

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
            Role serving = serving(n, view);
            out.add(n.status(problem(n, serving, view) == null, serving));
        }
        return out;
    }

    /**
     * The health verdict over the same observations as {@link #snapshot()}, with each node's problem in the words of
     * the exception messages.
     *
     * @param urls every node's URL, redacted, by name
     */
    public ClusterHealth health(Map<String, String> urls, FallbackPolicy fallback) {
        PrimaryView view = monitor.view();
        List<ClusterHealth.Node> nodes = new ArrayList<>(all.size());
        for (NodeRuntime n : all) {
            Role serving = serving(n, view);
            String problem = problem(n, serving, view);
            NodeStatus s = n.status(problem == null, serving);
            nodes.add(new ClusterHealth.Node(s.name(), urls.getOrDefault(s.name(), "?"), s.configuredRole(),
                    s.observedRole(), s.up(), problem == null, s.lag(), s.lagBytes(), s.lastChecked(), problem));
        }
        return HealthRule.verdict(nodes, view.refusal(), fallback);
    }

    private static Role serving(NodeRuntime n, PrimaryView view) {
        return n.config().role() != null ? n.config().role() : n == view.target() ? Role.PRIMARY : Role.REPLICA;
    }

    /** Why {@code n} may not serve {@code serving} now, or null when it may (it is eligible). */
    private @Nullable String problem(NodeRuntime n, Role serving, PrimaryView view) {
        if (serving == Role.REPLICA) {
            Refusal refusal = Eligibility.replica(n, Set.of(), lagPolicy);
            return refusal == null ? null : refusal.detail();
        }
        if (view.refusal() != null) {
            return "takes no writes: " + view.refusal();
        }
        if (n != view.target()) {
            return "is not the node writes go to now";
        }
        if (!n.health().up()) {
            return n.health().checked() ? "is down (" + n.health().lastError() + ")" : "is not checked yet";
        }
        return Eligibility.primary(n);
    }

    /** Where writes go now, for {@code ClusterRouter.primaryStatus()}. */
    public PrimaryStatus primaryStatus() {
        return primary.status();
    }
}
