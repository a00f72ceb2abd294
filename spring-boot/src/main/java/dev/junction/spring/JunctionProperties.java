package dev.junction.spring;

import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.Pooler;
import dev.junction.routing.SelectionStrategy;
import dev.junction.routing.SplitBrainPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code junction.*} properties: the same keys as {@code junction.yaml} (in Spring's kebab case), plus the
 * Database options under {@code junction.database} and the starter's own switches. A value left unset takes the
 * library's default (the builders' documented defaults), so the defaults live in one place. Unknown
 * {@code junction.*} keys fail start-up; each set value is checked by the library builder it feeds, and a bad one
 * fails start-up naming the property as written ({@code junction.nodes[1].url}). Each section with keys of its own
 * is a class of its own ({@link NodeProperties}, {@link PoolProperties}, {@link ResilienceProperties}, ...); the
 * starter's parity test checks that every key {@code junction.yaml} accepts has its property here. Mutable
 * JavaBean for Spring's binder; not thread-safe, read once at start-up.
 */
@ConfigurationProperties(prefix = "junction", ignoreUnknownFields = false)
public class JunctionProperties {
    /** Whether the starter configures a Database at all. */
    private boolean enabled = true;
    /** User and password of every pool and the monitor. */
    private final Credentials credentials = new Credentials();
    /** The primary and its replicas, one entry each, in the order they appear in health and topology. */
    private List<NodeProperties> nodes = new ArrayList<>();
    /** Pool settings per role. */
    private final Pools pool = new Pools();
    /** How a read picks among eligible replicas: round-robin (default), random, least-outstanding or latency-aware. */
    private @Nullable SelectionStrategy selection;
    /** What a read does when no replica is eligible: run on the primary (default) or fail. */
    private @Nullable FallbackPolicy fallback;
    /** What sits in front of every node that does not set its own (default none). */
    private @Nullable Pooler pooler;
    /** What writes do while two or more nodes claim the primary role (default newest-timeline). */
    private @Nullable SplitBrainPolicy splitBrain;
    /** How many instances of the service share these servers, for the connection budget (default 1). */
    private @Nullable Integer appInstances;
    /** Connection slots per server the budget leaves free for admin sessions and migrations (default 3). */
    private @Nullable Integer reservedConnections;
    /** When a replica is too far behind to serve reads. */
    @NestedConfigurationProperty
    private final ReplicaLagProperties replicaLag = new ReplicaLagProperties();
    /** When a replica that answers slowly loses its reads. */
    @NestedConfigurationProperty
    private final SlowReplicaProperties slowReplica = new SlowReplicaProperties();
    /** The health monitor's timing. */
    @NestedConfigurationProperty
    private final MonitorProperties monitor = new MonitorProperties();
    /** Start-up behaviour. */
    private final Startup startup = new Startup();
    /** Circuit breaker and bulkhead per node, and the spill of reads to the primary. */
    @NestedConfigurationProperty
    private final ResilienceProperties resilience = new ResilienceProperties();
    /** How reads after a consistency token are served. */
    @NestedConfigurationProperty
    private final ConsistencyProperties consistency = new ConsistencyProperties();
    /** Options of the Database itself: budgets, lints, slow-statement log, parallelism. */
    @NestedConfigurationProperty
    private final DatabaseProperties database = new DatabaseProperties();
    /** The starter's web integration. */
    private final Web web = new Web();
    /**
     * Whether to register the routing DataSource as the application's primary DataSource, so that JdbcTemplate and
     * other JDBC code under @Transactional(readOnly = true) reads on a replica and the rest runs on the primary
     * (default false).
     */
    private boolean routingDataSource = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Credentials getCredentials() {
        return credentials;
    }

    public List<NodeProperties> getNodes() {
        return nodes;
    }

    public void setNodes(List<NodeProperties> nodes) {
        this.nodes = nodes;
    }

    public Pools getPool() {
        return pool;
    }

    public @Nullable SelectionStrategy getSelection() {
        return selection;
    }

    public void setSelection(@Nullable SelectionStrategy selection) {
        this.selection = selection;
    }

    public @Nullable FallbackPolicy getFallback() {
        return fallback;
    }

    public void setFallback(@Nullable FallbackPolicy fallback) {
        this.fallback = fallback;
    }

    public @Nullable Pooler getPooler() {
        return pooler;
    }

    public void setPooler(@Nullable Pooler pooler) {
        this.pooler = pooler;
    }

    public @Nullable SplitBrainPolicy getSplitBrain() {
        return splitBrain;
    }

    public void setSplitBrain(@Nullable SplitBrainPolicy splitBrain) {
        this.splitBrain = splitBrain;
    }

    public @Nullable Integer getAppInstances() {
        return appInstances;
    }

    public void setAppInstances(@Nullable Integer appInstances) {
        this.appInstances = appInstances;
    }

    public @Nullable Integer getReservedConnections() {
        return reservedConnections;
    }

    public void setReservedConnections(@Nullable Integer reservedConnections) {
        this.reservedConnections = reservedConnections;
    }

    public ReplicaLagProperties getReplicaLag() {
        return replicaLag;
    }

    public SlowReplicaProperties getSlowReplica() {
        return slowReplica;
    }

    public MonitorProperties getMonitor() {
        return monitor;
    }

    public Startup getStartup() {
        return startup;
    }

    public ResilienceProperties getResilience() {
        return resilience;
    }

    public ConsistencyProperties getConsistency() {
        return consistency;
    }

    public DatabaseProperties getDatabase() {
        return database;
    }

    public Web getWeb() {
        return web;
    }

    public boolean isRoutingDataSource() {
        return routingDataSource;
    }

    public void setRoutingDataSource(boolean routingDataSource) {
        this.routingDataSource = routingDataSource;
    }

    /** {@code junction.credentials.*}. */
    public static class Credentials {
        /** PostgreSQL role every pool and the monitor log in as. */
        private @Nullable String user;
        /** Its password; empty for trust or peer authentication. Never logged nor shown in health details. */
        private String password = "";

        public @Nullable String getUser() {
            return user;
        }

        public void setUser(@Nullable String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** {@code junction.pool.primary.*} and {@code junction.pool.replica.*}. */
    public static class Pools {
        /** The primary's pool. */
        @NestedConfigurationProperty
        private final PoolProperties primary = new PoolProperties();
        /** Each replica's pool. */
        @NestedConfigurationProperty
        private final PoolProperties replica = new PoolProperties();

        public PoolProperties getPrimary() {
            return primary;
        }

        public PoolProperties getReplica() {
            return replica;
        }
    }

    /** {@code junction.startup.*}. */
    public static class Startup {
        /** Start even when a node cannot be reached; the monitor brings it in later (default false). */
        private @Nullable Boolean skipDownNodes;

        public @Nullable Boolean getSkipDownNodes() {
            return skipDownNodes;
        }

        public void setSkipDownNodes(@Nullable Boolean skipDownNodes) {
            this.skipDownNodes = skipDownNodes;
        }
    }

    /** {@code junction.web.*}. */
    public static class Web {
        /**
         * Whether the servlet filter (in a WebFlux application, the WebFilter) restores the Junction-Consistency
         * request header into the request's consistency session and writes the merged token on the response
         * (default true).
         */
        private boolean consistencyFilter = true;

        public boolean isConsistencyFilter() {
            return consistencyFilter;
        }

        public void setConsistencyFilter(boolean consistencyFilter) {
            this.consistencyFilter = consistencyFilter;
        }
    }
}
