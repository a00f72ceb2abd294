package dev.junction.routing;

import dev.junction.ClusterHealth;
import dev.junction.ConfigurationException;
import dev.junction.routing.internal.ConfigValidator;
import dev.junction.routing.internal.DedicatedConnections;
import dev.junction.routing.internal.DriverSettings;
import dev.junction.routing.internal.HealthMonitor;
import dev.junction.routing.internal.JdbcUrls;
import dev.junction.routing.internal.LagPolicy;
import dev.junction.routing.internal.NodeRuntime;
import dev.junction.routing.internal.Probe;
import dev.junction.routing.internal.RouteReason;
import dev.junction.routing.internal.RoutingEngine;
import dev.junction.routing.internal.StartupChecks;
import dev.junction.spi.ClusterView;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes units of work over a PostgreSQL primary and its streaming replicas: writes to the primary, reads to an
 * eligible replica (up, in recovery, within the lag limits, circuit breaker not open), with failover to the next
 * replica and then to the primary (or failure) by {@link FallbackPolicy}. One HikariCP pool per node
 * ({@code junction-<node>}; replica pools read-only, enforced by the server), a health check on its own schedule
 * (a virtual thread, so a stuck node delays no other node's checks), a Resilience4j circuit breaker and bulkhead per
 * node. See {@code docs/routing.md} and {@code docs/operations.md}.
 *
 * <p>With {@linkplain NodeConfig#discovered discovered roles} the monitor finds the primary among the nodes and
 * follows a failover made by the platform: writes go to the promoted node without a restart.
 *
 * <p>Guarantees: {@link #create} either returns a router whose configuration was checked against every reachable
 * server (roles, connection budget) or throws {@link ConfigurationException} naming every problem and leaves nothing
 * running; a write is never retried, never sent to a standby, and never sent to two nodes that both claim the
 * primary role (see {@link SplitBrainPolicy}); a read after a consistency token is never served by a node on another
 * timeline than the token's; every lease counts once in {@link #routingCounts()}; {@link #close()} stops the monitor
 * thread, closes every pool and every connection opened by {@link #openDedicatedPrimaryConnection()}. Thread-safe.
 */
public final class ClusterRouter implements ConnectionRouter, ClusterView {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouter.class);

    private final List<NodeRuntime> nodes;
    private final HealthMonitor monitor;
    private final RoutingEngine engine;
    private final Topology topology;
    private final DedicatedConnections dedicated;
    private final Map<String, String> redactedUrls;
    private final FallbackPolicy fallback;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterRouter(RoutingConfig config, List<NodeRuntime> nodes, HealthMonitor monitor,
                          RoutingEngine engine) {
        this.nodes = nodes;
        this.monitor = monitor;
        this.engine = engine;
        this.topology = engine::snapshot;
        this.dedicated = new DedicatedConnections(config, monitor);
        Map<String, String> urls = new LinkedHashMap<>();
        config.nodes().forEach(n -> urls.put(n.name(), JdbcUrls.redacted(n.jdbcUrl())));
        this.redactedUrls = Map.copyOf(urls);
        this.fallback = config.fallback();
        monitor.afterEachRound(dedicated::dropThoseOffTarget);
    }

    /**
     * Validates {@code config}, checks every node (reachable, in its configured role, connection budget), starts
     * the pools and the monitor.
     *
     * @throws ConfigurationException naming every field involved and the fix: malformed URL, a node listed twice, no
     *                                or two primaries, a replica that is a primary (or the reverse), an unreachable
     *                                node (unless {@code skipDownNodesAtStart}), a refused login, or a connection
     *                                budget that exceeds a server's {@code max_connections}
     */
    public static ClusterRouter create(RoutingConfig config) {
        Objects.requireNonNull(config, "config");
        ConfigValidator.check(config);
        Duration probeTimeout = config.monitorTimeout();
        Map<String, Probe> probesByName = new LinkedHashMap<>();
        List<NodeRuntime> runtimes = new ArrayList<>();
        HealthMonitor monitor = null;
        try {
            for (NodeConfig node : config.nodes()) {
                Duration startupTimeout = max(probeTimeout, config.poolFor(node).connectTimeout());
                probesByName.put(node.name(), new Probe(node.jdbcUrl(), config.credentials(), startupTimeout,
                        DriverSettings.forPooler(config.poolerFor(node))));
            }
            StartupChecks.Result checks = StartupChecks.run(config, probesByName);
            ConfigValidator.throwIfAny(checks.problems());
            probesByName.values().forEach(Probe::close);

            Map<NodeRuntime, Probe> probes = new LinkedHashMap<>();
            for (int i = 0; i < config.nodes().size(); i++) {
                NodeConfig node = config.nodes().get(i);
                NodeRuntime runtime = new NodeRuntime(node, i, config);
                runtimes.add(runtime);
                probes.put(runtime, new Probe(node.jdbcUrl(), config.credentials(), probeTimeout,
                        DriverSettings.forPooler(config.poolerFor(node))));
                if (config.poolerFor(node) != Pooler.NONE && node.directUrl() == null) {
                    log.info("node '{}' is behind pooler {} and has no directUrl: lookup invalidation across app"
                            + " instances (LISTEN) cannot use it while it is the primary; set nodes[{}].directUrl if"
                            + " you use lookups", node.name(), config.poolerFor(node), i);
                }
            }
            LagPolicy lag = new LagPolicy(config.maxReplicaLag(), config.maxReplicaLagBytes(),
                    config.lagHysteresis());
            monitor = new HealthMonitor(runtimes, probes, lag, config.monitorInterval(), probeTimeout,
                    config.discoversRoles(), config.splitBrain());
            HealthMonitor started = monitor;
            runtimes.forEach(r -> r.onFailure(started::requestPoll));
            monitor.pollOnce();
            monitor.start();
            RoutingEngine engine = new RoutingEngine(config, runtimes, lag, monitor);
            if (config.discoversRoles()) {
                PrimaryStatus primary = engine.primaryStatus();
                log.info("routing started with discovered roles: nodes {}, primary {}, selection {}, fallback {},"
                        + " split brain {}", config.nodes().stream().map(NodeConfig::name).toList(),
                        primary.node() == null ? "none yet" : "'" + primary.node() + "'", config.selection(),
                        config.fallback(), config.splitBrain());
            } else {
                log.info("routing started: primary '{}', replicas {}, selection {}, fallback {}",
                        config.nodes(Role.PRIMARY).get(0).name(),
                        config.nodes(Role.REPLICA).stream().map(NodeConfig::name).toList(), config.selection(),
                        config.fallback());
            }
            return new ClusterRouter(config, List.copyOf(runtimes), monitor, engine);
        } catch (RuntimeException | Error e) {
            probesByName.values().forEach(Probe::close);
            if (monitor != null) {
                monitor.close();
            }
            runtimes.forEach(NodeRuntime::close);
            throw e;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Lends a connection: for {@link dev.junction.spi.Intent#WRITE} from the primary (reason {@code primary}); for a
     * read from the pinned replica while it is eligible ({@code pinned}), else an eligible replica by strategy
     * ({@code replica}), skipping {@code excluded} nodes and replicas that fail to give a connection, else the
     * primary ({@code fallback}) when the fallback policy allows it.
     *
     * @throws dev.junction.PrimaryUnavailableException a write while the primary is down, in recovery or its breaker
     *                                                  is open; nothing was applied
     * @throws dev.junction.NoEligibleReplicaException  a read that no replica (and, by policy, not the primary) can
     *                                                  serve; the message lists every replica and why
     * @throws dev.junction.PoolSaturatedException      the pool is busy and its bulkhead full, or the pool timed out
     * @throws IllegalStateException                    after {@link #close()}
     */
    @Override
    public Lease acquire(RouteRequest request) {
        if (closed.get()) {
            throw new IllegalStateException("router is closed; create a new ClusterRouter");
        }
        return engine.acquire(request);
    }

    /** The nodes, their health, pools and breakers, for health endpoints. */
    public Topology topology() {
        return topology;
    }

    /**
     * The health verdict: {@code UP} when the write target may take writes and every replica may serve reads,
     * {@code DEGRADED} when writes work but a replica may not serve reads, {@code DOWN} when no node may take writes;
     * with every node's role, reachability, eligibility, lag and problem, and a reason per problem naming the node
     * (see {@link ClusterHealth} and {@code docs/routing.md}). Computed from the monitor's last observations, the
     * breakers and the pools' counters: no I/O, cheap enough for every health request. URLs are shown without user
     * information or parameters.
     */
    @Override
    public ClusterHealth health() {
        return engine.health(redactedUrls, fallback);
    }

    /** Every node's runtime (pool, breaker, bulkhead), in configuration order; for {@link RoutingMetrics}. */
    List<NodeRuntime> nodes() {
        return nodes;
    }

    /**
     * Which node takes writes now, which nodes claim the primary role, and why writes are refused if they are; the
     * monitor's last observation, no I/O.
     */
    public PrimaryStatus primaryStatus() {
        return engine.primaryStatus();
    }

    /**
     * Opens a new, unpooled connection to the node that takes writes now, for {@code LISTEN}: to its
     * {@link NodeConfig#directUrl() direct URL} when it is behind a pooler, since a transaction-mode pooler does not
     * keep the session a {@code LISTEN} lives in. When the write target moves (a failover, a split brain), the
     * connections opened here to the previous one are aborted, so their owner reconnects to the new primary.
     *
     * @throws SQLException when no node may take writes now, the node is behind a pooler without a direct URL, or
     *                      connecting failed
     */
    @Override
    public Connection openDedicatedPrimaryConnection() throws SQLException {
        if (closed.get()) {
            throw new SQLException("router is closed; create a new ClusterRouter", "08003");
        }
        return dedicated.open();
    }

    /**
     * How many routing decisions were made, by reason: {@code replica}, {@code pinned}, {@code fallback},
     * {@code primary}, {@code token_replica}, {@code token_waited}, {@code token_primary}, {@code token_foreign},
     * {@code strong} (leases), and the refusals {@code failover} (a replica that failed to give a connection, the
     * read moved on), {@code saturated}, {@code no_eligible_replica}, {@code primary_unavailable}, and
     * {@code token_invalid} (a read whose consistency token did not parse or failed its checksum, counted besides the
     * reason of where {@code consistency.invalidToken} sent it). A sorted snapshot; counters only grow.
     */
    @Override
    public Map<String, Long> routingCounts() {
        return engine.counts();
    }

    /** How reads with {@code Consistency.after(token)} were served so far. */
    public TokenReadStats tokenReads() {
        Map<String, Long> c = engine.counts();
        var waits = engine.tokenWaits();
        return new TokenReadStats(c.getOrDefault(RouteReason.TOKEN_REPLICA.tag(), 0L),
                c.getOrDefault(RouteReason.TOKEN_WAITED.tag(), 0L),
                c.getOrDefault(RouteReason.TOKEN_PRIMARY.tag(), 0L)
                        + c.getOrDefault(RouteReason.TOKEN_FOREIGN.tag(), 0L),
                waits.waits(), waits.totalWait());
    }

    /** Stops the monitor and closes every pool (outstanding connections are closed by HikariCP). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        monitor.close();
        dedicated.close();
        nodes.forEach(NodeRuntime::close);
        log.info("routing closed");
    }

    @Override
    public String toString() {
        return "ClusterRouter" + nodes.stream().map(NodeRuntime::name).toList();
    }
}
