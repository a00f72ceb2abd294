package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
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
 * limits, fallback, monitor timing, the connection budget inputs and resilience settings; and the options of the
 * Database built over it ({@link #database()}), so that one file describes both. Immutable and thread-safe,
 * with value equality; build it with {@link #builder()} (every setter checks its own argument at once and throws
 * {@link ConfigurationException} naming the field), derive a changed copy with {@link #from(RoutingConfig)}, or
 * load it with {@link ConfigLoader}. There is no {@code defaults()}: the credentials are mandatory. Checks across
 * nodes and against the servers happen in {@link ClusterRouter#create(RoutingConfig)}.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class RoutingConfig {
    private final List<NodeConfig> nodes;
    private final Credentials credentials;
    private final PoolSettings primaryPool;
    private final PoolSettings replicaPool;
    private final SelectionStrategy selection;
    private final FallbackPolicy fallback;
    private final Duration maxReplicaLag;
    private final @Nullable Long maxReplicaLagBytes;
    private final double lagHysteresis;
    private final Duration monitorInterval;
    private final Duration monitorTimeout;
    private final int appInstances;
    private final int reservedConnections;
    private final boolean skipDownNodesAtStart;
    private final CircuitBreakerSettings circuitBreaker;
    private final BulkheadSettings bulkhead;
    private final ConsistencySettings consistency;
    private final Pooler pooler;
    private final SplitBrainPolicy splitBrain;
    private final DatabaseSettings database;

    private RoutingConfig(Builder b, Credentials credentials) {
        this.nodes = List.copyOf(b.nodes);
        this.credentials = credentials;
        this.primaryPool = b.primaryPool;
        this.replicaPool = b.replicaPool;
        this.selection = b.selection;
        this.fallback = b.fallback;
        this.maxReplicaLag = b.maxReplicaLag;
        this.maxReplicaLagBytes = b.maxReplicaLagBytes;
        this.lagHysteresis = b.lagHysteresis;
        this.monitorInterval = b.monitorInterval;
        this.monitorTimeout = b.monitorTimeout;
        this.appInstances = b.appInstances;
        this.reservedConnections = b.reservedConnections;
        this.skipDownNodesAtStart = b.skipDownNodesAtStart;
        this.circuitBreaker = b.circuitBreaker;
        this.bulkhead = b.bulkhead;
        this.consistency = b.consistency;
        this.pooler = b.pooler;
        this.splitBrain = b.splitBrain;
        this.database = b.database;
    }

    /**
     * A builder holding the defaults: round-robin selection, fallback to the primary, lag limit 5s (no byte limit),
     * hysteresis 0.8, monitor every 500ms with a 1s timeout, one app instance, 3 reserved connections, default pool,
     * breaker, bulkhead and consistency settings, no pooler, split brain resolved by the newest timeline; no nodes
     * and no credentials; {@link DatabaseSettings#defaults()} for the Database.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(RoutingConfig existing) {
        Objects.requireNonNull(existing, "existing");
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
        b.database = existing.database;
        return b;
    }

    /** The primary and its replicas, in configuration order. */
    public List<NodeConfig> nodes() {
        return nodes;
    }

    /** User and password for every pool and the monitor. */
    public Credentials credentials() {
        return credentials;
    }

    /** Pool settings of the primary, unless its node overrides them. */
    public PoolSettings primaryPool() {
        return primaryPool;
    }

    /** Pool settings of each replica, unless its node overrides them. */
    public PoolSettings replicaPool() {
        return replicaPool;
    }

    /** How a read picks an eligible replica. */
    public SelectionStrategy selection() {
        return selection;
    }

    /** What a read does when no replica is eligible. */
    public FallbackPolicy fallback() {
        return fallback;
    }

    /** A replica further behind than this is not used for reads. */
    public Duration maxReplicaLag() {
        return maxReplicaLag;
    }

    /** Optionally also a limit on WAL bytes not yet replayed; null for none. */
    public @Nullable Long maxReplicaLagBytes() {
        return maxReplicaLagBytes;
    }

    /**
     * A replica excluded for lag re-enters only once its lag is below this fraction of the limit(s), so it does not
     * flap around the threshold.
     */
    public double lagHysteresis() {
        return lagHysteresis;
    }

    /** How often the monitor polls every node. */
    public Duration monitorInterval() {
        return monitorInterval;
    }

    /**
     * Connect, socket and statement timeout of the monitor's probe (whole seconds): a blackholed node is marked down
     * within about this long.
     */
    public Duration monitorTimeout() {
        return monitorTimeout;
    }

    /** How many app instances share these servers, for the connection budget. */
    public int appInstances() {
        return appInstances;
    }

    /** Connection slots left free per server for admin, migrations and other clients. */
    public int reservedConnections() {
        return reservedConnections;
    }

    /**
     * When true, a node that cannot be reached at start-up is logged and left to the monitor instead of failing
     * {@link ClusterRouter#create}; a node that is up in the wrong role always fails.
     */
    public boolean skipDownNodesAtStart() {
        return skipDownNodesAtStart;
    }

    /** Per-node circuit breaker settings. */
    public CircuitBreakerSettings circuitBreaker() {
        return circuitBreaker;
    }

    /** Per-pool bound on waiting callers. */
    public BulkheadSettings bulkhead() {
        return bulkhead;
    }

    /** How reads after a consistency token are served. */
    public ConsistencySettings consistency() {
        return consistency;
    }

    /** What sits in front of every node that does not set its own. */
    public Pooler pooler() {
        return pooler;
    }

    /** What writes do while more than one node claims the primary role. */
    public SplitBrainPolicy splitBrain() {
        return splitBrain;
    }

    /**
     * The options of the {@link dev.junction.Database} built over this router ({@code database:} in
     * {@code junction.yaml}): the router does not use them; {@code Junction.fromConfig} hands them to
     * {@link dev.junction.Junction.Builder#settings}.
     */
    public DatabaseSettings database() {
        return database;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingConfig other && nodes.equals(other.nodes) && credentials.equals(other.credentials)
                && primaryPool.equals(other.primaryPool) && replicaPool.equals(other.replicaPool)
                && selection == other.selection && fallback == other.fallback
                && maxReplicaLag.equals(other.maxReplicaLag)
                && Objects.equals(maxReplicaLagBytes, other.maxReplicaLagBytes)
                && Double.compare(lagHysteresis, other.lagHysteresis) == 0
                && monitorInterval.equals(other.monitorInterval) && monitorTimeout.equals(other.monitorTimeout)
                && appInstances == other.appInstances && reservedConnections == other.reservedConnections
                && skipDownNodesAtStart == other.skipDownNodesAtStart && circuitBreaker.equals(other.circuitBreaker)
                && bulkhead.equals(other.bulkhead) && consistency.equals(other.consistency) && pooler == other.pooler
                && splitBrain == other.splitBrain && database.equals(other.database);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodes, credentials, primaryPool, replicaPool, selection, fallback, maxReplicaLag,
                maxReplicaLagBytes, lagHysteresis, monitorInterval, monitorTimeout, appInstances, reservedConnections,
                skipDownNodesAtStart, circuitBreaker, bulkhead, consistency, pooler, splitBrain, database);
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
                + ", pooler=" + pooler + ", splitBrain=" + splitBrain + ", database=" + database + "]";
    }

    /**
     * Options of {@link RoutingConfig}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), {@link #build()} refuses missing
     * credentials and copies the values, so a builder can be reused.
     */
    public static final class Builder {
        private final List<NodeConfig> nodes = new ArrayList<>();
        private @Nullable Credentials credentials;
        private PoolSettings primaryPool = PoolSettings.defaults();
        private PoolSettings replicaPool = PoolSettings.defaults();
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
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
        private BulkheadSettings bulkhead = BulkheadSettings.defaults();
        private ConsistencySettings consistency = ConsistencySettings.defaults();
        private Pooler pooler = Pooler.NONE;
        private SplitBrainPolicy splitBrain = SplitBrainPolicy.NEWEST_TIMELINE;
        private DatabaseSettings database = DatabaseSettings.defaults();

        private Builder() {
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

        /**
         * Shorthand for {@code credentials(Credentials.of(user, password))}.
         *
         * @throws ConfigurationException when {@code user} is blank
         */
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

        /** @throws ConfigurationException when negative */
        public Builder maxReplicaLag(Duration lag) {
            this.maxReplicaLag = Checks.atLeast("maxReplicaLag", lag, Duration.ZERO);
            return this;
        }

        /** @throws ConfigurationException when negative */
        public Builder maxReplicaLagBytes(long bytes) {
            this.maxReplicaLagBytes = Checks.atLeast("maxReplicaLagBytes", bytes, 0L);
            return this;
        }

        /** @throws ConfigurationException unless {@code 0 < ratio <= 1} */
        public Builder lagHysteresis(double ratio) {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new ConfigurationException("lagHysteresis must be > 0 and <= 1 (a fraction of maxReplicaLag),"
                        + " but was " + ratio);
            }
            this.lagHysteresis = ratio;
            return this;
        }

        /** @throws ConfigurationException when below 50ms */
        public Builder monitorInterval(Duration interval) {
            this.monitorInterval = Checks.atLeast("monitorInterval", interval, Duration.ofMillis(50));
            return this;
        }

        /** @throws ConfigurationException when below 1s (pgjdbc's timeouts are whole seconds) */
        public Builder monitorTimeout(Duration timeout) {
            this.monitorTimeout = Checks.atLeast("monitorTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /** @throws ConfigurationException when {@code instances < 1} */
        public Builder appInstances(int instances) {
            this.appInstances = Checks.atLeast("appInstances", instances, 1);
            return this;
        }

        /** @throws ConfigurationException when {@code connections < 0} */
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
         * The pooler in front of every node that does not set its own ({@link NodeConfig.Builder#pooler}); with
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

        /** The options of the Database built over the router (default {@link DatabaseSettings#defaults()}). */
        public Builder database(DatabaseSettings settings) {
            this.database = Objects.requireNonNull(settings, "database");
            return this;
        }

        /** @throws ConfigurationException when no credentials were set */
        public RoutingConfig build() {
            if (credentials == null) {
                throw new ConfigurationException("credentials must be set: call credentials(user, password)"
                        + " (or set JUNCTION_USER and JUNCTION_PASSWORD when loading junction.yaml)");
            }
            return new RoutingConfig(this, credentials);
        }
    }
}
