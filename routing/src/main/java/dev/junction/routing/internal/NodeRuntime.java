package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.routing.BreakerState;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.sql.Connection;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Everything the router keeps for one node, each part in its own class: its HikariCP pool (configured by
 * {@link PoolConfigs}), the bound on callers ({@link CallerLimit}), the circuit breaker ({@link NodeBreaker}), the
 * lending of connections across the three ({@link NodeLending}), the leases lent now and the failover fence
 * ({@link LentLeases}), the evidence it answers the application ({@link Answers}), and the monitor's last observation
 * with its response times ({@link ResponseTimes}, with the slow verdict of {@link SlowReplicas}). This class holds
 * them together and answers for the node; it decides nothing itself. Thread-safe.
 */
public final class NodeRuntime implements AutoCloseable, Candidate {
    private final NodeConfig config;
    private final int index;
    private final PoolSettings pool;
    private final String poolName;
    private final HikariDataSource dataSource;
    private final NodeBreaker breaker;
    private final CallerLimit limit;
    private final NodeLending lending;
    private final LentLeases lent = new LentLeases();
    private final Answers answers = new Answers();
    private final ResponseTimes responseTimes;
    private volatile NodeHealth health = NodeHealth.UNKNOWN;
    private volatile boolean systemIdentifierKnown;
    private volatile long systemIdentifier;
    private volatile Runnable onFailure = () -> { };
    private volatile boolean slow;

    public NodeRuntime(NodeConfig config, int index, RoutingConfig routing) {
        this.config = config;
        this.index = index;
        this.pool = routing.poolFor(config);
        this.poolName = "junction-" + config.name();
        this.dataSource = new HikariDataSource(PoolConfigs.hikariConfig(config, pool, routing));
        this.breaker = new NodeBreaker(poolName, routing.circuitBreaker());
        this.responseTimes = new ResponseTimes(routing.slowReplicaWindow());
        this.limit = new CallerLimit(poolName, pool, routing.bulkhead().maxWaitingFor(pool.maximumPoolSize()),
                routing.bulkhead().adaptive());
        this.lending = new NodeLending(config.name(), pool.maximumPoolSize(), dataSource, limit, breaker, answers,
                () -> health.lastError());
    }

    public NodeConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** Position in the configuration, for messages ({@code nodes[1]}). */
    public int index() {
        return index;
    }

    public String poolName() {
        return poolName;
    }

    public PoolSettings pool() {
        return pool;
    }

    /** The waiting places beyond the pool's size now: the adaptive limit's share when adaptive, else the fixed one. */
    public int maxWaiting() {
        return limit.maxWaiting();
    }

    /** True when the waiting places follow the node's latency ({@code resilience.bulkhead.adaptive}). */
    public boolean adaptiveLimit() {
        return limit.adaptive();
    }

    /** The configured waiting places: the fixed bound, also the adaptive limit's ceiling. */
    public int fixedMaxWaiting() {
        return limit.fixedMaxWaiting();
    }

    /** Callers allowed at the node now (holding or waiting for a connection): fixed, or the adaptive limit. */
    public int callerLimit() {
        return limit.callerLimit();
    }

    /** Callers turned away at once because the node's limit was reached (fixed bulkhead or adaptive limit). */
    public long sheds() {
        return limit.sheds();
    }

    public NodeHealth health() {
        return health;
    }

    public void health(NodeHealth observed) {
        this.health = observed;
        if (!observed.up()) {
            // After the health is published, so a waiter's message names the verdict's error.
            lending.interruptWaiters();
        }
    }

    /** The round trips of the monitor's successful checks of this node, over {@code slowReplica.window}. */
    public ResponseTimes responseTimes() {
        return responseTimes;
    }

    /** True while the monitor finds this replica far slower than its peers: reads prefer the others. */
    @Override
    public boolean slow() {
        return slow;
    }

    void slow(boolean verdict) {
        this.slow = verdict;
    }

    boolean systemIdentifierKnown() {
        return systemIdentifierKnown;
    }

    /** The server's system identifier, 0 when unknown or unreadable. */
    public long systemIdentifier() {
        return systemIdentifier;
    }

    void systemIdentifier(@Nullable Long id) {
        systemIdentifier = id == null ? 0 : id;
        systemIdentifierKnown = true;
    }

    public int outstanding() {
        return lending.outstanding();
    }

    @Override
    public int weight() {
        return config.weight();
    }

    /** The median round trip of the monitor's recent checks ({@link ResponseTimes}), -1 before the first. */
    @Override
    public long latencyNanos() {
        return responseTimes.latestMedianNanos();
    }

    /** What to run when a call fails in a way that may mean the node changed (see {@link #reportFailure()}). */
    public void onFailure(Runnable action) {
        this.onFailure = action;
    }

    /** A call on this node failed at connection level, or a write met a standby: have the monitor look now. */
    void reportFailure() {
        try {
            onFailure.run();
        } catch (RuntimeException e) {
            // the monitor is closing; its next round, if any, sees the same
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    CircuitBreaker breaker() {
        return breaker.resilience4j();
    }

    Bulkhead bulkhead() {
        return limit.bulkhead();
    }

    /** True while the breaker is open and its wait has not passed (after it, a trial call may go through). */
    @Override
    public boolean breakerBlocks() {
        return breaker.blocks();
    }

    /** Opens the breaker because the monitor found the node down; a breaker already open restarts its wait. */
    void openBreaker() {
        breaker.open();
    }

    public BreakerState breakerState() {
        return breaker.state();
    }

    /** Times the breaker opened. */
    public long breakerOpenings() {
        return breaker.openings();
    }

    /** Openings that lengthened the breaker's wait because the node failed again soon after a readmission. */
    public long breakerBackoffs() {
        return breaker.backoffs();
    }

    /** Words for "why the breaker blocks", with the numbers. */
    @Override
    public String breakerDescription() {
        return breaker.description();
    }

    /**
     * Takes a place under the caller limit and a breaker permit, then a connection ({@link NodeLending#borrow()}).
     *
     * @throws AcquireFailure describing which of the three refused
     */
    public Connection borrow() throws AcquireFailure {
        return lending.borrow();
    }

    /** A connection only if the pool has one idle now or room to open one ({@link NodeLending#tryBorrow()}). */
    @Nullable Connection tryBorrow() {
        return lending.tryBorrow();
    }

    /** Gives a borrowed connection back and reports the outcome to the caller limit and the breaker. */
    void giveBack(Connection connection, @Nullable Throwable failure, long heldNanos) {
        lending.giveBack(connection, failure, heldNanos);
    }

    /** When a lease of the application last ended without a connection-level failure ({@link System#nanoTime()}). */
    long lastAnswerNanos() {
        return answers.lastNanos();
    }

    /** A monitor check got no answer while the node answered the application: not counted against it. */
    void inconclusiveCheck() {
        answers.inconclusiveCheck();
    }

    /** Monitor checks without an answer that were not counted, because the node kept answering the application. */
    public long inconclusiveChecks() {
        return answers.inconclusiveChecks();
    }

    /** A lease of this node's connection starts; {@link #fence} may end it until {@link #returned} is called. */
    void lent(RoutedLease lease) {
        lent.lent(lease);
    }

    void returned(RoutedLease lease) {
        lent.returned(lease);
    }

    /**
     * The failover fence ({@link LentLeases#fence}): this node stopped being the write target, so every connection
     * lent from it now is aborted on {@code executor} and its idle connections are evicted.
     *
     * @return how many lent connections were aborted
     */
    int fence(Executor executor) {
        return lent.fence(executor, dataSource);
    }

    /** Lent connections the failover fence aborted ({@link #fence}). */
    public long fencedConnections() {
        return lent.fenced();
    }

    public NodeStatus status(boolean eligible, Role servingRole) {
        NodeHealth h = health;
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        int active = mx == null ? 0 : mx.getActiveConnections();
        int idle = mx == null ? 0 : mx.getIdleConnections();
        int total = mx == null ? 0 : mx.getTotalConnections();
        int waiting = mx == null ? 0 : mx.getThreadsAwaitingConnection();
        Role role = config.role() != null ? config.role() : servingRole;
        boolean replica = role == Role.REPLICA;
        return new NodeStatus(config.name(), role, h.observedRole(), h.up(), eligible,
                replica ? h.lagBytes() : null, replica ? h.lag() : null, replica ? h.replayTimestampAge() : null,
                replica && h.lagExcluded(), h.lsn() == null ? null : Lsn.format(h.lsn()), h.checkedAt(),
                h.up() ? null : h.lastError(), active, idle, total, waiting, lending.outstanding(), breakerState(),
                h.timeline(), config.roleDiscovered());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
