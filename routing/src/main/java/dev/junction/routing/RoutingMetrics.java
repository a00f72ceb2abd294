package dev.junction.routing;

import dev.junction.metrics.MeterNames;
import dev.junction.routing.internal.NodeMeters;
import dev.junction.routing.internal.NodeRuntime;
import dev.junction.routing.internal.RouteReason;
import dev.junction.spi.Role;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters read from a {@link ClusterRouter}: routing decisions by reason, replica lag, node health, circuit
 * breaker state and pool counters (Junction's own and OpenTelemetry's {@code db.client.connection.*} names), plus the
 * meters HikariCP ({@code hikaricp.connections.*}) and Resilience4j ({@code resilience4j.circuitbreaker.*},
 * {@code resilience4j.bulkhead.*}) publish for each node's pool, breaker and bulkhead. Junction's values are read when
 * the registry publishes (function counters and gauges, no I/O: the monitor's last observation); see
 * {@code docs/metrics.md}.
 *
 * <pre>{@code
 * RoutingMetrics metrics = RoutingMetrics.bind(router, registry);
 * }</pre>
 *
 * <p>The meters hold the router weakly. {@link #close()} removes them from the registry. Thread-safe.
 */
public final class RoutingMetrics implements AutoCloseable {
    /**
     * The reasons {@link ClusterRouter#routingCounts()} can report (the tag of every {@link RouteReason}), registered
     * up front at zero.
     */
    static final List<String> REASONS = Arrays.stream(RouteReason.values()).map(RouteReason::tag).toList();

    private final MeterRegistry registry;
    private final List<Meter> meters;
    private final List<NodeMeters> nodeMeters;

    private RoutingMetrics(MeterRegistry registry, List<Meter> meters, List<NodeMeters> nodeMeters) {
        this.registry = registry;
        this.meters = meters;
        this.nodeMeters = nodeMeters;
    }

    /**
     * Registers the router's meters in {@code registry}: one set per configured node and one counter per reason.
     * A router may be bound to several registries, and bound again after {@link #close()}.
     */
    public static RoutingMetrics bind(ClusterRouter router, MeterRegistry registry) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(registry, "registry");
        List<Meter> meters = new ArrayList<>();
        for (String reason : REASONS) {
            meters.add(FunctionCounter.builder(MeterNames.ROUTE, router,
                            r -> r.routingCounts().getOrDefault(reason, 0L))
                    .description("Routing decisions: leases by reason, and refusals (failover, saturated,"
                            + " no_eligible_replica, primary_unavailable)")
                    .baseUnit("decisions").tag(MeterNames.TAG_REASON, reason).register(registry));
        }
        for (NodeStatus node : router.topology().snapshot()) {
            String name = node.name();
            String role = node.configuredRole().tag();
            // A node whose role is discovered gets the lag gauges whatever its role at bind time: the primary of
            // that moment may be a replica after a failover.
            if (node.configuredRole() == Role.REPLICA || node.roleDiscovered()) {
                meters.add(gauge(registry, router, name, MeterNames.REPLICA_LAG_BYTES,
                        "WAL bytes the replica has not replayed (NaN when unknown)", "bytes",
                        s -> s.lagBytes() == null ? Double.NaN : s.lagBytes()));
                meters.add(gauge(registry, router, name, MeterNames.REPLICA_LAG_SECONDS,
                        "Estimated staleness of the replica (NaN when unknown)", "seconds",
                        s -> s.lag() == null ? Double.NaN : s.lag().toNanos() / 1e9));
            }
            meters.add(Gauge.builder(MeterNames.NODE_UP, router, r -> value(r, name, s -> s.up() ? 1 : 0))
                    .description("1 when the monitor's last check reached the node, else 0")
                    .tag(MeterNames.TAG_NODE, name).tag(MeterNames.TAG_ROLE, role).register(registry));
            meters.add(Gauge.builder(MeterNames.NODE_ELIGIBLE, router, r -> value(r, name, s -> s.eligible() ? 1 : 0))
                    .description("1 when the node may serve its configured role now, else 0")
                    .tag(MeterNames.TAG_NODE, name).tag(MeterNames.TAG_ROLE, role).register(registry));
            meters.add(gauge(registry, router, name, MeterNames.BREAKER_STATE,
                    "The node's circuit breaker: 0 closed, 1 half-open, 2 open", null,
                    s -> breakerValue(s.breaker())));
            meters.add(gauge(registry, router, name, MeterNames.POOL_ACTIVE, "Connections lent out by the node's pool",
                    "connections", NodeStatus::poolActive));
            meters.add(gauge(registry, router, name, MeterNames.POOL_IDLE, "Idle connections in the node's pool",
                    "connections", NodeStatus::poolIdle));
            meters.add(gauge(registry, router, name, MeterNames.POOL_PENDING,
                    "Threads waiting for a connection from the node's pool", "threads", NodeStatus::poolWaiting));
        }
        meters.add(Gauge.builder(MeterNames.PRIMARY_CLAIMANTS, router, r -> r.primaryStatus().claimants().size())
                .description("Nodes whose last check found them out of recovery: 1 normally, 0 during a failover,"
                        + " 2 or more in a split brain").baseUnit("nodes").register(registry));
        meters.add(FunctionCounter.builder(MeterNames.PRIMARY_CHANGES, router, r -> r.primaryStatus().changes())
                .description("Write-target changes followed: the primary moved to another node or timeline")
                .baseUnit("changes").register(registry));
        meters.add(FunctionCounter.builder(MeterNames.SPLIT_BRAIN, router,
                        r -> r.primaryStatus().splitBrainEpisodes())
                .description("Split-brain episodes: two or more nodes claimed the primary role at once")
                .baseUnit("episodes").register(registry));
        List<NodeMeters> nodeMeters = new ArrayList<>();
        // The OpenTelemetry gauges carry no base unit: OpenTelemetry's units for them ({connection}, {request}) are
        // annotations, so their Prometheus names have no unit suffix either (db_client_connection_count).
        for (NodeRuntime node : router.nodes()) {
            String name = node.name();
            String pool = node.poolName();
            for (String state : List.of("used", "idle")) {
                ToDoubleFunction<NodeStatus> count = state.equals("used") ? NodeStatus::poolActive
                        : NodeStatus::poolIdle;
                meters.add(Gauge.builder(MeterNames.DB_CONNECTION_COUNT, router, r -> value(r, name, count))
                        .description("Connections of the node's pool in the state given by db.client.connection.state")
                        .tag(MeterNames.TAG_POOL_NAME, pool)
                        .tag(MeterNames.TAG_CONNECTION_STATE, state).tag(MeterNames.TAG_NODE, name)
                        .register(registry));
            }
            int max = node.pool().maximumPoolSize();
            meters.add(Gauge.builder(MeterNames.DB_CONNECTION_MAX, () -> max)
                    .description("The most connections the node's pool may open")
                    .tag(MeterNames.TAG_POOL_NAME, pool).tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(Gauge.builder(MeterNames.DB_CONNECTION_PENDING, router, r -> value(r, name,
                            NodeStatus::poolWaiting))
                    .description("Requests waiting for a connection of the node's pool")
                    .tag(MeterNames.TAG_POOL_NAME, pool).tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(FunctionCounter.builder(MeterNames.BREAKER_OPENINGS, node, NodeRuntime::breakerOpenings)
                    .description("Times the node's circuit breaker opened").baseUnit("openings")
                    .tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(FunctionCounter.builder(MeterNames.BREAKER_BACKOFFS, node, NodeRuntime::breakerBackoffs)
                    .description("Openings of the node's breaker soon after a readmission, each doubling its wait up"
                            + " to maxWaitInOpenState: the node flaps").baseUnit("openings")
                    .tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(Gauge.builder(MeterNames.POOL_LIMIT, node, NodeRuntime::callerLimit)
                    .description("Callers allowed at the node at once, holding or waiting for a connection (fixed, or"
                            + " the adaptive limit's current value)").baseUnit("callers")
                    .tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(FunctionCounter.builder(MeterNames.POOL_SHEDS, node, NodeRuntime::sheds)
                    .description("Callers turned away at once because the node's limit was reached")
                    .baseUnit("calls").tag(MeterNames.TAG_NODE, name).register(registry));
            meters.add(FunctionCounter.builder(MeterNames.MONITOR_INCONCLUSIVE, node, NodeRuntime::inconclusiveChecks)
                    .description("Monitor checks without an answer in time that did not count the node down, because"
                            + " it kept answering the application's statements").baseUnit("checks")
                    .tag(MeterNames.TAG_NODE, name).register(registry));
            nodeMeters.add(NodeMeters.bind(node, registry));
        }
        return new RoutingMetrics(registry, List.copyOf(meters), List.copyOf(nodeMeters));
    }

    private static Gauge gauge(MeterRegistry registry, ClusterRouter router, String node, String name,
            String description, @Nullable String baseUnit, ToDoubleFunction<NodeStatus> f) {
        return Gauge.builder(name, router, r -> value(r, node, f)).description(description).baseUnit(baseUnit)
                .tag(MeterNames.TAG_NODE, node).register(registry);
    }

    private static double value(ClusterRouter router, String node, ToDoubleFunction<NodeStatus> f) {
        for (NodeStatus s : router.topology().snapshot()) {
            if (s.name().equals(node)) {
                return f.applyAsDouble(s);
            }
        }
        return Double.NaN;
    }

    static int breakerValue(BreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** Removes this binding's meters from the registry, HikariCP's and Resilience4j's included. Idempotent. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        nodeMeters.forEach(NodeMeters::close);
    }
}
