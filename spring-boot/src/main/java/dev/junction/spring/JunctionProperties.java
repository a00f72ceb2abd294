package dev.junction.spring;

import dev.junction.LintMode;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.Pooler;
import dev.junction.routing.SelectionStrategy;
import dev.junction.routing.SplitBrainPolicy;
import dev.junction.spi.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code junction.*} properties: the same keys as {@code junction.yaml} (in Spring's kebab case), plus the
 * Database options under {@code junction.database} and the starter's own switches. A value left unset takes the
 * library's default (the builders' documented defaults), so the defaults live in one place. Unknown
 * {@code junction.*} keys fail start-up; each set value is checked by the library builder it feeds, and a bad one
 * fails start-up naming the property as written ({@code junction.nodes[1].url}). Mutable JavaBean for Spring's
 * binder; not thread-safe, read once at start-up.
 */
@ConfigurationProperties(prefix = "junction", ignoreUnknownFields = false)
public class JunctionProperties {
    /** Whether the starter configures a Database at all. */
    private boolean enabled = true;
    /** User and password of every pool and the monitor. */
    private final Credentials credentials = new Credentials();
    /** The primary and its replicas, one entry each, in the order they appear in health and topology. */
    private List<Node> nodes = new ArrayList<>();
    /** Pool settings per role. */
    private final Pools pool = new Pools();
    /** How a read picks among eligible replicas (default round-robin). */
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
    private final ReplicaLag replicaLag = new ReplicaLag();
    /** The health monitor's timing. */
    private final Monitor monitor = new Monitor();
    /** Start-up behaviour. */
    private final Startup startup = new Startup();
    /** Circuit breaker and bulkhead per node. */
    private final Resilience resilience = new Resilience();
    /** How reads after a consistency token are served. */
    private final Consistency consistency = new Consistency();
    /** Options of the Database itself: budgets, lints, slow-statement log, parallelism. */
    private final DatabaseOptions database = new DatabaseOptions();
    /** The starter's web integration. */
    private final Web web = new Web();
    /**
     * Whether to register the routing DataSource as the application's primary DataSource, so that JdbcTemplate and
     * other JDBC code under @Transactional(readOnly = true) reads on a replica and the rest runs on the primary
     * (default false).
     */
    private boolean routingDataSource;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Credentials getCredentials() {
        return credentials;
    }

    public List<Node> getNodes() {
        return nodes;
    }

    public void setNodes(List<Node> nodes) {
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

    public ReplicaLag getReplicaLag() {
        return replicaLag;
    }

    public Monitor getMonitor() {
        return monitor;
    }

    public Startup getStartup() {
        return startup;
    }

    public Resilience getResilience() {
        return resilience;
    }

    public Consistency getConsistency() {
        return consistency;
    }

    public DatabaseOptions getDatabase() {
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

    /** {@code junction.nodes[i].*}. */
    public static class Node {
        /** Unique name: 1-63 letters, digits, '-', '_' or '.'; names the pool, meters and health details. */
        private @Nullable String name;
        /** jdbc:postgresql://host[:port]/database[?pgjdbc-parameters], without user or password. */
        private @Nullable String url;
        /** primary or replica, on every node or on none (then the monitor discovers the primary). */
        private @Nullable Role role;
        /** Pool settings for this node only, on top of its role's. */
        private final Pool pool = new Pool();
        /** What sits in front of this node (default: junction.pooler). */
        private @Nullable Pooler pooler;
        /** The node's server without the pooler, for the LISTEN connection of lookup invalidation. */
        private @Nullable String directUrl;

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable Role getRole() {
            return role;
        }

        public void setRole(@Nullable Role role) {
            this.role = role;
        }

        public Pool getPool() {
            return pool;
        }

        public @Nullable Pooler getPooler() {
            return pooler;
        }

        public void setPooler(@Nullable Pooler pooler) {
            this.pooler = pooler;
        }

        public @Nullable String getDirectUrl() {
            return directUrl;
        }

        public void setDirectUrl(@Nullable String directUrl) {
            this.directUrl = directUrl;
        }
    }

    /** {@code junction.pool.primary.*} and {@code junction.pool.replica.*}. */
    public static class Pools {
        /** The primary's pool. */
        private final Pool primary = new Pool();
        /** Each replica's pool. */
        private final Pool replica = new Pool();

        public Pool getPrimary() {
            return primary;
        }

        public Pool getReplica() {
            return replica;
        }
    }

    /** One pool's settings; unset values are inherited (node from role, role from the library default). */
    public static class Pool {
        /** Most connections of the pool, per app instance (default 10). */
        private @Nullable Integer maximumPoolSize;
        /** Idle connections kept ready (default: maximum-pool-size, a fixed-size pool). */
        private @Nullable Integer minimumIdle;
        /** Longest a caller waits for a connection (default 5s, at least 250ms). */
        private @Nullable Duration connectionTimeout;
        /** Idle connections above minimum-idle are closed after this; 0 = never (default 10m). */
        private @Nullable Duration idleTimeout;
        /** Connections are replaced after this; 0 = never (default 30m). */
        private @Nullable Duration maxLifetime;
        /** pgjdbc connectTimeout, whole seconds (default 2s). */
        private @Nullable Duration connectTimeout;
        /** pgjdbc socketTimeout, whole seconds; 0 = none (default). */
        private @Nullable Duration socketTimeout;

        public @Nullable Integer getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(@Nullable Integer maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public @Nullable Integer getMinimumIdle() {
            return minimumIdle;
        }

        public void setMinimumIdle(@Nullable Integer minimumIdle) {
            this.minimumIdle = minimumIdle;
        }

        public @Nullable Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public @Nullable Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(@Nullable Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public @Nullable Duration getMaxLifetime() {
            return maxLifetime;
        }

        public void setMaxLifetime(@Nullable Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public @Nullable Duration getSocketTimeout() {
            return socketTimeout;
        }

        public void setSocketTimeout(@Nullable Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
        }

        boolean isEmpty() {
            return maximumPoolSize == null && minimumIdle == null && connectionTimeout == null && idleTimeout == null
                    && maxLifetime == null && connectTimeout == null && socketTimeout == null;
        }
    }

    /** {@code junction.replica-lag.*}. */
    public static class ReplicaLag {
        /** A replica estimated further behind than this gets no reads (default 5s). */
        private @Nullable Duration max;
        /** Optionally also exclude a replica with more WAL than this not yet replayed (default none). */
        private @Nullable DataSize maxBytes;
        /** An excluded replica re-enters below this fraction of the limit, > 0 and <= 1 (default 0.8). */
        private @Nullable Double hysteresis;

        public @Nullable Duration getMax() {
            return max;
        }

        public void setMax(@Nullable Duration max) {
            this.max = max;
        }

        public @Nullable DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(@Nullable DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

        public @Nullable Double getHysteresis() {
            return hysteresis;
        }

        public void setHysteresis(@Nullable Double hysteresis) {
            this.hysteresis = hysteresis;
        }
    }

    /** {@code junction.monitor.*}. */
    public static class Monitor {
        /** Pause between two polls of all nodes (default 500ms, at least 50ms). */
        private @Nullable Duration interval;
        /** Connect, socket and statement timeout of the monitor's probe (default 1s, at least 1s). */
        private @Nullable Duration timeout;

        public @Nullable Duration getInterval() {
            return interval;
        }

        public void setInterval(@Nullable Duration interval) {
            this.interval = interval;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
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

    /** {@code junction.resilience.*}. */
    public static class Resilience {
        /** The circuit breaker kept for every node. */
        private final CircuitBreaker circuitBreaker = new CircuitBreaker();
        /** The bound on callers waiting for a busy pool. */
        private final Bulkhead bulkhead = new Bulkhead();

        public CircuitBreaker getCircuitBreaker() {
            return circuitBreaker;
        }

        public Bulkhead getBulkhead() {
            return bulkhead;
        }
    }

    /** {@code junction.resilience.circuit-breaker.*}. */
    public static class CircuitBreaker {
        /** Percentage of failed calls in the window that opens the breaker, > 0 and <= 100 (default 50). */
        private @Nullable Float failureRateThreshold;
        /** Calls the window must hold before the rate is evaluated (default 5). */
        private @Nullable Integer minimumCalls;
        /** The rate is computed over this many most recent calls (default 20). */
        private @Nullable Integer slidingWindowSize;
        /** How long an open breaker keeps the node out (default 5s). */
        private @Nullable Duration waitInOpenState;
        /** Trial calls let through once the wait is over (default 2). */
        private @Nullable Integer permittedCallsInHalfOpen;

        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable Integer getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(@Nullable Integer slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public @Nullable Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(@Nullable Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public @Nullable Integer getPermittedCallsInHalfOpen() {
            return permittedCallsInHalfOpen;
        }

        public void setPermittedCallsInHalfOpen(@Nullable Integer permittedCallsInHalfOpen) {
            this.permittedCallsInHalfOpen = permittedCallsInHalfOpen;
        }
    }

    /** {@code junction.resilience.bulkhead.*}. */
    public static class Bulkhead {
        /** Callers that may wait for a busy pool; 0 = nobody waits (default: each pool's maximum-pool-size). */
        private @Nullable Integer maxWaiting;

        public @Nullable Integer getMaxWaiting() {
            return maxWaiting;
        }

        public void setMaxWaiting(@Nullable Integer maxWaiting) {
            this.maxWaiting = maxWaiting;
        }
    }

    /** {@code junction.consistency.*}. */
    public static class Consistency {
        /** wal-position (exact, default) or time (approximate). */
        private ConsistencySettings.@Nullable Mode mode;
        /** wal-position: how long a read after a token may wait for a replica (default 100ms). */
        private @Nullable Duration maxWait;
        /** time: how long after a commit its reads go to the primary (default 2s). */
        private @Nullable Duration primaryWindow;

        public ConsistencySettings.@Nullable Mode getMode() {
            return mode;
        }

        public void setMode(ConsistencySettings.@Nullable Mode mode) {
            this.mode = mode;
        }

        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }

        public @Nullable Duration getPrimaryWindow() {
            return primaryWindow;
        }

        public void setPrimaryWindow(@Nullable Duration primaryWindow) {
            this.primaryWindow = primaryWindow;
        }
    }

    /** {@code junction.database.*}: the options of {@code Junction.builder()}. */
    public static class DatabaseOptions {
        /** Default time budget of every write transaction (default 5s). */
        private @Nullable Duration transactionBudget;
        /** Whether a write also hands its budget to the server with SET LOCAL (default true). */
        private @Nullable Boolean serverSideBudget;
        /** Most works of one parallel call holding a connection at once (default 8). */
        private @Nullable Integer parallelism;
        /** The slow-statement log. */
        private final SlowStatements slowStatements = new SlowStatements();
        /** The transaction lints. */
        private final LintOptions lints = new LintOptions();

        public @Nullable Duration getTransactionBudget() {
            return transactionBudget;
        }

        public void setTransactionBudget(@Nullable Duration transactionBudget) {
            this.transactionBudget = transactionBudget;
        }

        public @Nullable Boolean getServerSideBudget() {
            return serverSideBudget;
        }

        public void setServerSideBudget(@Nullable Boolean serverSideBudget) {
            this.serverSideBudget = serverSideBudget;
        }

        public @Nullable Integer getParallelism() {
            return parallelism;
        }

        public void setParallelism(@Nullable Integer parallelism) {
            this.parallelism = parallelism;
        }

        public SlowStatements getSlowStatements() {
            return slowStatements;
        }

        public LintOptions getLints() {
            return lints;
        }
    }

    /** {@code junction.database.slow-statements.*}. */
    public static class SlowStatements {
        /** Statements at least this long are logged on dev.junction.slow; 0 switches the log off (default 1s). */
        private @Nullable Duration threshold;
        /** Whether the log prints bind values (default false: they may carry personal data). */
        private @Nullable Boolean bindValues;

        public @Nullable Duration getThreshold() {
            return threshold;
        }

        public void setThreshold(@Nullable Duration threshold) {
            this.threshold = threshold;
        }

        public @Nullable Boolean getBindValues() {
            return bindValues;
        }

        public void setBindValues(@Nullable Boolean bindValues) {
            this.bindValues = bindValues;
        }
    }

    /** {@code junction.database.lints.*}: each off, warn (default) or strict. */
    public static class LintOptions {
        /** A write unit that wrote nothing. */
        private @Nullable LintMode writeWithoutWrites;
        /** A write transaction idle between statements longer than gap-threshold. */
        private @Nullable LintMode transactionGap;
        /** The idle time that counts as a transaction gap (default 100ms). */
        private @Nullable Duration gapThreshold;
        /** The same statement shape repeated in one unit (N+1 queries). */
        private @Nullable LintMode nPlusOne;
        /** How many repetitions count as N+1 (default 5). */
        private @Nullable Integer nPlusOneThreshold;
        /** A lookup table read inside a write. */
        private @Nullable LintMode lookupReadInWrite;

        public @Nullable LintMode getWriteWithoutWrites() {
            return writeWithoutWrites;
        }

        public void setWriteWithoutWrites(@Nullable LintMode writeWithoutWrites) {
            this.writeWithoutWrites = writeWithoutWrites;
        }

        public @Nullable LintMode getTransactionGap() {
            return transactionGap;
        }

        public void setTransactionGap(@Nullable LintMode transactionGap) {
            this.transactionGap = transactionGap;
        }

        public @Nullable Duration getGapThreshold() {
            return gapThreshold;
        }

        public void setGapThreshold(@Nullable Duration gapThreshold) {
            this.gapThreshold = gapThreshold;
        }

        public @Nullable LintMode getNPlusOne() {
            return nPlusOne;
        }

        public void setNPlusOne(@Nullable LintMode nPlusOne) {
            this.nPlusOne = nPlusOne;
        }

        public @Nullable Integer getNPlusOneThreshold() {
            return nPlusOneThreshold;
        }

        public void setNPlusOneThreshold(@Nullable Integer nPlusOneThreshold) {
            this.nPlusOneThreshold = nPlusOneThreshold;
        }

        public @Nullable LintMode getLookupReadInWrite() {
            return lookupReadInWrite;
        }

        public void setLookupReadInWrite(@Nullable LintMode lookupReadInWrite) {
            this.lookupReadInWrite = lookupReadInWrite;
        }
    }

    /** {@code junction.web.*}. */
    public static class Web {
        /**
         * Whether the servlet filter restores the Junction-Consistency request header into the request's consistency
         * session and writes the merged token on the response (default true).
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
