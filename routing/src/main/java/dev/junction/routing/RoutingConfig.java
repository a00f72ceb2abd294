package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import dev.junction.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link ClusterRouter} needs: the nodes, credentials, pool defaults per role, replica selection, lag
 * limits, fallback, monitor timing, the connection budget inputs and resilience settings. Immutable and thread-safe;
 * build it with {@link #builder()} (every setter checks its own argument at once and throws
 * {@link IllegalArgumentException} naming the field) or load it with {@link ConfigLoader}. Checks across fields and
 * against the servers happen in {@link ClusterRouter#create(RoutingConfig)}.
 *
 * <p>{@link #toString()} never shows the password.
 *
 * @param nodes                 the primary and its replicas, in configuration order
 * @param credentials           user and password for every pool and the monitor
 * @param primaryPool           pool settings of the primary, unless its node overrides them
 * @param replicaPool           pool settings of each replica, unless its node overrides them
 * @param selection             how a read picks an eligible replica (default ROUND_ROBIN)
 * @param fallback              what a read does when no replica is eligible (default PRIMARY)
 * @param maxReplicaLag         a replica further behind than this is not used for reads (default 5s)
 * @param maxReplicaLagBytes    optionally also a limit on WAL bytes not yet replayed; null for none (the default)
 * @param lagHysteresis         a replica excluded for lag re-enters only once its lag is below this fraction of the
 *                              limit(s) (default 0.8), so it does not flap around the threshold
 * @param monitorInterval       how often the monitor polls every node (default 500ms)
 * @param monitorTimeout        connect, socket and statement timeout of the monitor's probe (default 1s, whole
 *                              seconds): a blackholed node is marked down within about this long
 * @param appInstances          how many app instances share these servers, for the connection budget (default 1)
 * @param reservedConnections   connection slots left free per server for admin, migrations and other clients
 *                              (default 3)
 * @param skipDownNodesAtStart  when true, a node that cannot be reached at start-up is logged and left to the monitor
 *                              instead of failing {@link ClusterRouter#create} (default false); a node that is up in
 *                              the wrong role always fails
 * @param circuitBreaker        per-node circuit breaker settings
 * @param bulkhead              per-pool bound on waiting callers
 * @param consistency           how reads after a consistency token are served
 * @param pooler                what sits in front of every node that does not set its own (default NONE)
 * @param splitBrain            what writes do while more than one node claims the primary role (default
 *                              NEWEST_TIMELINE)
 */
public record RoutingConfig(List<NodeConfig> nodes, Credentials credentials, PoolSettings primaryPool,
                            PoolSettings replicaPool, SelectionStrategy selection, FallbackPolicy fallback,
                            Duration maxReplicaLag, @Nullable Long maxReplicaLagBytes, double lagHysteresis,
                            Duration monitorInterval, Duration monitorTimeout, int appInstances,
                            int reservedConnections, boolean skipDownNodesAtStart,
                            CircuitBreakerSettings circuitBreaker, BulkheadSettings bulkhead,
                            ConsistencySettings consistency, Pooler pooler, SplitBrainPolicy splitBrain) {

    public RoutingConfig {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(primaryPool, "primaryPool");
        Objects.requireNonNull(replicaPool, "replicaPool");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(fallback, "fallback");
        Checks.atLeast("maxReplicaLag", maxReplicaLag, Duration.ZERO);
        if (maxReplicaLagBytes != null) {
            Checks.atLeast("maxReplicaLagBytes", maxReplicaLagBytes, 0L);
        }
        checkHysteresis(lagHysteresis);
        Checks.atLeast("monitorInterval", monitorInterval, Duration.ofMillis(50));
        Checks.atLeast("monitorTimeout", monitorTimeout, Duration.ofSeconds(1));
        Checks.atLeast("appInstances", appInstances, 1);
        Checks.atLeast("reservedConnections", reservedConnections, 0);
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(pooler, "pooler");
        Objects.requireNonNull(splitBrain, "splitBrain");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pool settings that apply to {@code node}: its own, or its role's defaults (the primary's for a node whose
     * role is discovered, since it may become the primary).
     */
    public PoolSettings poolFor(NodeConfig node) {
        PoolSettings own = node.pool();
        if (own != null) {
            return own;
        }
        return node.role() == Role.REPLICA ? replicaPool : primaryPool;
    }

    /** The pooler in front of {@code node}: its own setting, else the topology's. */
    public Pooler poolerFor(NodeConfig node) {
        Pooler own = node.pooler();
        return own != null ? own : pooler;
    }

    /** True when the nodes have no configured roles and the monitor discovers which one is the primary. */
    public boolean discoversRoles() {
        return !nodes.isEmpty() && nodes.stream().allMatch(NodeConfig::roleDiscovered);
    }

    /** The nodes configured in {@code role}, in configuration order. */
    public List<NodeConfig> nodes(Role role) {
        return nodes.stream().filter(n -> n.role() == role).toList();
    }

    private static double checkHysteresis(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("lagHysteresis must be > 0 and <= 1 (a fraction of maxReplicaLag),"
                    + " but was " + ratio);
        }
        return ratio;
    }

    @Override
    public String toString() {
        return "RoutingConfig[nodes=" + nodes + ", credentials=" + credentials + ", primaryPool=" + primaryPool
                + ", replicaPool=" + replicaPool + ", selection=" + selection + ", fallback=" + fallback
                + ", maxReplicaLag=" + Durations.format(maxReplicaLag) + ", maxReplicaLagBytes=" + maxReplicaLagBytes
                + ", lagHysteresis=" + lagHysteresis + ", monitorInterval=" + Durations.format(monitorInterval)
                + ", monitorTimeout=" + Durations.format(monitorTimeout) + ", appInstances=" + appInstances
                + ", reservedConnections=" + reservedConnections + ", skipDownNodesAtStart=" + skipDownNodesAtStart
                + ", circuitBreaker=" + circuitBreaker + ", bulkhead=" + bulkhead + ", consistency=" + consistency
                + ", pooler=" + pooler + ", splitBrain=" + splitBrain + "]";
    }

    /** Builds a {@link RoutingConfig}; every setter checks its own argument at once. Not thread-safe. */
    public static final class Builder {
        private final List<NodeConfig> nodes = new ArrayList<>();
        private @Nullable Credentials credentials;
        private PoolSettings primaryPool = PoolSettings.DEFAULTS;
        private PoolSettings replicaPool = PoolSettings.DEFAULTS;
        private SelectionStrategy selection = SelectionStrategy.ROUND_ROBIN;
        private FallbackPolicy fallback = FallbackPolicy.PRIMARY;
        private Duration maxReplicaLag = Duration.ofSeconds(5);
        private @Nullable Long maxReplicaLagBytes;
        private double lagHysteresis = 0.8;
        private Duration monitorInterval = Duration.ofMillis(500);
        private Duration monitorTimeout = Duration.ofSeconds(1);
        private int appInstances = 1;
        private int reservedConnections = 3;
        private boolean skipDownNodesAtStart;
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULTS;
        private BulkheadSettings bulkhead = BulkheadSettings.DEFAULTS;
        private ConsistencySettings consistency = ConsistencySettings.DEFAULTS;
        private Pooler pooler = Pooler.NONE;
        private SplitBrainPolicy splitBrain = SplitBrainPolicy.NEWEST_TIMELINE;

        private Builder() {
        }

        /** A builder holding a copy of {@code existing}. */
        public static Builder from(RoutingConfig existing) {
            Builder b = new Builder();
            b.nodes.addAll(existing.nodes);
            b.credentials = existing.credentials;
            b.primaryPool = existing.primaryPool;
            b.replicaPool = existing.replicaPool;
            b.selection = existing.selection;
            b.fallback = existing.fallback;
            b.maxReplicaLag = existing.maxReplicaLag;
            b.maxReplicaLagBytes = existing.maxReplicaLagBytes;
            b.lagHysteresis = existing.lagHysteresis;
            b.monitorInterval = existing.monitorInterval;
            b.monitorTimeout = existing.monitorTimeout;
            b.appInstances = existing.appInstances;
            b.reservedConnections = existing.reservedConnections;
            b.skipDownNodesAtStart = existing.skipDownNodesAtStart;
            b.circuitBreaker = existing.circuitBreaker;
            b.bulkhead = existing.bulkhead;
            b.consistency = existing.consistency;
            b.pooler = existing.pooler;
            b.splitBrain = existing.splitBrain;
            return b;
        }

        /** Adds a node. */
        public Builder node(NodeConfig node) {
            nodes.add(Objects.requireNonNull(node, "node"));
            return this;
        }

        /** Replaces all nodes. */
        public Builder nodes(List<NodeConfig> all) {
            nodes.clear();
            all.forEach(this::node);
            return this;
        }

        /** @throws IllegalArgumentException when {@code user} is blank */
        public Builder credentials(String user, String password) {
            this.credentials = Credentials.of(user, password);
            return this;
        }

        public Builder credentials(Credentials value) {
            this.credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        public Builder primaryPool(PoolSettings settings) {
            this.primaryPool = Objects.requireNonNull(settings, "primaryPool");
            return this;
        }

        public Builder replicaPool(PoolSettings settings) {
            this.replicaPool = Objects.requireNonNull(settings, "replicaPool");
            return this;
        }

        public Builder selection(SelectionStrategy strategy) {
            this.selection = Objects.requireNonNull(strategy, "selection");
            return this;
        }

        public Builder fallback(FallbackPolicy policy) {
            this.fallback = Objects.requireNonNull(policy, "fallback");
            return this;
        }

        /** @throws IllegalArgumentException when negative */
        public Builder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = Checks.atLeast("maxReplicaLag", lag, Duration.ZERO);
            return this;
        }

        /** @throws IllegalArgumentException when negative */
        public Builder maxReplicaLagBytes(long bytes) {
            this.maxReplicaLagBytes = Checks.atLeast("maxReplicaLagBytes", bytes, 0L);
            return this;
        }

        /** @throws IllegalArgumentException unless {@code 0 < ratio <= 1} */
        public Builder lagHysteresis(double ratio) {
            this.lagHysteresis = checkHysteresis(ratio);
            return this;
        }

        /** @throws IllegalArgumentException when below 50ms */
        public Builder monitorInterval(Duration interval) {
            this.monitorInterval = Checks.atLeast("monitorInterval", interval, Duration.ofMillis(50));
            return this;
        }

        /** @throws IllegalArgumentException when below 1s (pgjdbc's timeouts are whole seconds) */
        public Builder monitorTimeout(Duration timeout) {
            this.monitorTimeout = Checks.atLeast("monitorTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /** @throws IllegalArgumentException when {@code instances < 1} */
        public Builder appInstances(int instances) {
            this.appInstances = Checks.atLeast("appInstances", instances, 1);
            return this;
        }

        /** @throws IllegalArgumentException when {@code connections < 0} */
        public Builder reservedConnections(int connections) {
            this.reservedConnections = Checks.atLeast("reservedConnections", connections, 0);
            return this;
        }

        public Builder skipDownNodesAtStart(boolean skip) {
            this.skipDownNodesAtStart = skip;
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerSettings settings) {
            this.circuitBreaker = Objects.requireNonNull(settings, "circuitBreaker");
            return this;
        }

        public Builder bulkhead(BulkheadSettings settings) {
            this.bulkhead = Objects.requireNonNull(settings, "bulkhead");
            return this;
        }

        public Builder consistency(ConsistencySettings settings) {
            this.consistency = Objects.requireNonNull(settings, "consistency");
            return this;
        }

        /**
         * The pooler in front of every node that does not set its own ({@link NodeConfig#withPooler}); with
         * {@link Pooler#PGBOUNCER_TRANSACTION} Junction keeps no state in server sessions.
         */
        public Builder pooler(Pooler value) {
            this.pooler = Objects.requireNonNull(value, "pooler");
            return this;
        }

        /** What writes do while more than one node claims the primary role. */
        public Builder splitBrain(SplitBrainPolicy policy) {
            this.splitBrain = Objects.requireNonNull(policy, "splitBrain");
            return this;
        }

        /**
         * @throws IllegalArgumentException when no credentials were set
         */
        public RoutingConfig build() {
            if (credentials == null) {
                throw new IllegalArgumentException("credentials must be set: call credentials(user, password)"
                        + " (or set JUNCTION_USER and JUNCTION_PASSWORD when loading junction.yaml)");
            }
            return new RoutingConfig(nodes, credentials, primaryPool, replicaPool, selection, fallback,
                    maxReplicaLag, maxReplicaLagBytes, lagHysteresis, monitorInterval, monitorTimeout, appInstances,
                    reservedConnections, skipDownNodesAtStart, circuitBreaker, bulkhead, consistency, pooler,
                    splitBrain);
        }
    }
}
