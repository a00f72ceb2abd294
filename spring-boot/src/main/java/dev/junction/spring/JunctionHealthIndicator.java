package dev.junction.spring;

import dev.junction.ClusterHealth;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PrimaryStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The actuator health contributor {@code junction}: {@code UP} when every node may serve its role,
 * {@code DEGRADED} when the primary takes writes but a node may not serve (the {@code impaired} detail names it),
 * {@code DOWN} when no node may take writes (the rule of {@link ClusterRouter#health()}). Details per node: role, observed role, up,
 * eligible, lag, breaker, pool counters and the last error; never a URL, user or password. No I/O: it reads the
 * monitor's last observation, so a health request never waits for a database. Thread-safe.
 */
public final class JunctionHealthIndicator implements HealthIndicator {
    /** The status of a cluster that takes writes but has a node that may not serve its role. */
    public static final Status DEGRADED = new Status("DEGRADED", "the primary takes writes, but not every node may"
            + " serve its role");

    private final ClusterRouter router;

    public JunctionHealthIndicator(ClusterRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public Health health() {
        // The verdict is the library's (ClusterRouter#health); the snapshot adds pool and breaker details.
        ClusterHealth verdict = router.health();
        List<NodeStatus> nodes = router.topology().snapshot();
        Status status = switch (verdict.state()) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
        Health.Builder health = Health.status(status);
        PrimaryStatus primary = router.primaryStatus();
        health.withDetail("primary", primary.node() == null ? "none" : primary.node());
        if (primary.writesRefused() != null) {
            health.withDetail("writesRefused", primary.writesRefused());
        }
        List<String> impaired = verdict.nodes().stream().filter(n -> !n.eligible()).map(ClusterHealth.Node::name)
                .toList();
        if (!impaired.isEmpty()) {
            health.withDetail("impaired", impaired);
        }
        if (!verdict.reasons().isEmpty()) {
            health.withDetail("reasons", verdict.reasons());
        }
        Map<String, Object> byName = new LinkedHashMap<>();
        for (NodeStatus n : nodes) {
            byName.put(n.name(), node(n));
        }
        return health.withDetail("nodes", byName).build();
    }

    private static Map<String, Object> node(NodeStatus n) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("role", n.configuredRole().tag());
        d.put("observedRole", n.observedRole() == null ? "unknown" : n.observedRole().tag());
        d.put("up", n.up());
        d.put("eligible", n.eligible());
        if (n.lag() != null) {
            d.put("lagSeconds", n.lag().toNanos() / 1e9);
        }
        if (n.lagBytes() != null) {
            d.put("lagBytes", n.lagBytes());
        }
        d.put("lagExcluded", n.lagExcluded());
        d.put("breaker", n.breaker().name().toLowerCase(Locale.ROOT));
        d.put("pool", Map.of("active", n.poolActive(), "idle", n.poolIdle(), "total", n.poolTotal(),
                "waiting", n.poolWaiting()));
        if (n.lastError() != null) {
            // The monitor's error text carries no secrets (NodeStatus#lastError).
            d.put("lastError", n.lastError());
        }
        return d;
    }
}
