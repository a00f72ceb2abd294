package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.routing.BreakerState;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Everything the router keeps for one node: its HikariCP pool (configured by {@link PoolConfigs}), circuit breaker
 * ({@link NodeBreaker}), bulkhead, outstanding lease count, the monitor's last observation and its response times
 * ({@link ResponseTimes}, with the slow verdict of {@link SlowReplicas}). Lending a connection
 * takes a bulkhead permit, a breaker permit and then a connection; a wait for a busy pool is given up once the monitor
 * finds the node down ({@link PoolWaiters}). Thread-safe.
 */
public final class NodeRuntime implements AutoCloseable, Candidate {
    private static final long ANSWER_RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final NodeConfig config;
    private final int index;
    private final PoolSettings pool;
    private final String poolName;
    private final HikariDataSource dataSource;
    private final NodeBreaker breaker;
    private final Bulkhead bulkhead;
    private final int maxWaiting;
    /** The adaptive bound on callers at the node ({@code resilience.bulkhead.adaptive}), or null for the fixed one. */
    private final @Nullable AdaptiveLimit adaptive;
    private final LongAdder bulkheadSheds = new LongAdder();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final PoolWaiters waiters = new PoolWaiters();
    private volatile NodeHealth health = NodeHealth.UNKNOWN;
    private volatile boolean systemIdentifierKnown;
    private volatile long systemIdentifier;
    private volatile Runnable onFailure = () -> { };
    private final ResponseTimes responseTimes;
    private volatile boolean slow;
    /** When a statement of the application last completed on the node: evidence it answers ({@link Liveness}). */
    private volatile long lastAnswerNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    private final LongAdder inconclusiveChecks = new LongAdder();
    /** The leases lent now, for the failover fence ({@link #fence}); kept by {@link RoutedLease} itself. */
    private final Set<RoutedLease> lent = ConcurrentHashMap.newKeySet();
    private final LongAdder fenced = new LongAdder();

    public NodeRuntime(NodeConfig config, int index, RoutingConfig routing) {
        this.config = config;
        this.index = index;
        this.pool = routing.poolFor(config);
        this.poolName = "junction-" + config.name();
        this.maxWaiting = routing.bulkhead().maxWaitingFor(pool.maximumPoolSize());
        this.dataSource = new HikariDataSource(PoolConfigs.hikariConfig(config, pool, routing));
        this.breaker = new NodeBreaker(poolName, routing.circuitBreaker());
        this.responseTimes = new ResponseTimes(routing.slowReplicaWindow());
        this.bulkhead = Bulkhead.of(poolName, BulkheadConfig.custom()
                .maxConcurrentCalls(pool.maximumPoolSize() + maxWaiting)
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.adaptive = routing.bulkhead().adaptive()
                ? new AdaptiveLimit(pool.maximumPoolSize(), pool.maximumPoolSize() + maxWaiting,
                        pool.connectionTimeout().toNanos())
                : null;
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
        AdaptiveLimit a = adaptive;
        return a == null ? maxWaiting : a.limit() - pool.maximumPoolSize();
    }

    /** True when the waiting places follow the node's latency ({@code resilience.bulkhead.adaptive}). */
    public boolean adaptiveLimit() {
        return adaptive != null;
    }

    /** The configured waiting places: the fixed bound, also the adaptive limit's ceiling. */
    public int fixedMaxWaiting() {
        return maxWaiting;
    }

    /** Callers allowed at the node now (holding or waiting for a connection): fixed, or the adaptive limit. */
    public int callerLimit() {
        AdaptiveLimit a = adaptive;
        return a == null ? pool.maximumPoolSize() + maxWaiting : a.limit();
    }

    /** Callers turned away at once because the node's limit was reached (fixed bulkhead or adaptive limit). */
    public long sheds() {
        AdaptiveLimit a = adaptive;
        long limited = a == null ? 0 : a.sheds();
        return limited + bulkheadSheds.sum();
    }

    public NodeHealth health() {
        return health;
    }

    public void health(NodeHealth observed) {
        this.health = observed;
        if (!observed.up()) {
            // After the health is published, so a waiter's message names the verdict's error.
            waiters.interruptAll();
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
        return outstanding.get();
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
        return bulkhead;
    }

    AtomicInteger outstandingCounter() {
        return outstanding;
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
     * Takes a bulkhead permit and a breaker permit, then a connection.
     *
     * @throws AcquireFailure describing which of the three refused
     */
    public Connection borrow() throws AcquireFailure {
        AdaptiveLimit a = adaptive;
        if (a != null && !a.tryAcquire()) {
            throw new AcquireFailure(AcquireFailure.Kind.SATURATED, 0, null);
        }
        if (!bulkhead.tryAcquirePermission()) {
            bulkheadSheds.increment();
            releasePlace(a);
            throw new AcquireFailure(AcquireFailure.Kind.SATURATED, 0, null);
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            releasePlace(a);
            throw new AcquireFailure(AcquireFailure.Kind.BREAKER_OPEN, 0, null);
        }
        long start = System.nanoTime();
        try {
            Connection c = connectionUnlessFoundDown(start);
            outstanding.incrementAndGet();
            if (a != null) {
                a.onWait(System.nanoTime() - start);
            }
            return c;
        } catch (SQLException e) {
            long elapsed = System.nanoTime() - start;
            boolean nodeFailure = SqlFailures.isConnectionFailure(e) || e.getCause() != null
                    || !(e instanceof SQLTransientConnectionException);
            if (nodeFailure) {
                breaker.recordError(elapsed, e);
            } else {
                // Only the wait for a busy pool ran out: that is load, not a broken node. Counting it opened the
                // breaker of a healthy replica, and its reads then fell back to the primary, which is what
                // shedding saturated reads is there to prevent.
                breaker.releasePermission();
            }
            bulkhead.onComplete();
            if (a != null && !nodeFailure) {
                a.onDropped(); // the queue outgrew connectionTimeout: the limit was too high
            } else {
                releasePlace(a);
            }
            throw new AcquireFailure(nodeFailure ? AcquireFailure.Kind.NODE_FAILURE : AcquireFailure.Kind.TIMEOUT,
                    TimeUnit.NANOSECONDS.toMillis(elapsed), e);
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            bulkhead.onComplete();
            releasePlace(a);
            throw e;
        }
    }

    private static void releasePlace(@Nullable AdaptiveLimit a) {
        if (a != null) {
            a.release();
        }
    }

    /**
     * A connection only if the pool has one idle now or room to open one, for the extra connections of a parallel
     * group: the bulkhead and breaker permits of {@link #borrow()}, but no wait in the pool's queue. When another caller takes the idle
     * connection between the look and the take, this waits as a borrow would; the look keeps that window small.
     *
     * @return the connection, or null when none is idle and the pool is full, or a permit is refused
     */
    @Nullable Connection tryBorrow() {
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        // An idle connection, or room to open one: the pool grows on demand (minimumIdle below the maximum), and a
        // connect is a wait for the server, not for a connection the group itself holds.
        if (mx == null || (mx.getIdleConnections() == 0 && mx.getTotalConnections() >= pool.maximumPoolSize())) {
            return null;
        }
        AdaptiveLimit a = adaptive;
        if (a != null && !a.tryAcquire()) {
            return null;
        }
        if (!bulkhead.tryAcquirePermission()) {
            releasePlace(a);
            return null;
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            releasePlace(a);
            return null;
        }
        long start = System.nanoTime();
        try {
            Connection c = dataSource.getConnection();
            outstanding.incrementAndGet();
            if (a != null) {
                a.onWait(System.nanoTime() - start);
            }
            return c;
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e) || !(e instanceof SQLTransientConnectionException)) {
                breaker.recordError(System.nanoTime() - start, e);
            } else {
                breaker.releasePermission();
            }
            bulkhead.onComplete();
            releasePlace(a);
            return null;
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            bulkhead.onComplete();
            releasePlace(a);
            throw e;
        }
    }

    /**
     * A connection from the pool, borrowed straight from HikariCP on the caller's thread. When none is idle, the wait
     * (up to the pool's {@code connectionTimeout}) is given up as soon as the monitor finds the node down: the
     * monitor interrupts the registered waiters ({@link PoolWaiters}), and the interrupt becomes the same
     * connection-level failure as a refused connect. A connection that arrives although the verdict came goes
     * straight back to the pool.
     */
    private Connection connectionUnlessFoundDown(long start) throws SQLException {
        PoolWaiters.Waiter waiter = waiters.enter();
        Connection c = null;
        SQLException failure = null;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            failure = e;
        } finally {
            if (waiter.leave()) {
                if (c != null) {
                    closeQuietly(c);
                }
                SQLException down = new SQLException("the monitor found node '" + config.name() + "' down while"
                        + " this call waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                        + "ms for a connection (" + health.lastError() + ")", "08001", failure);
                throw down;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Hikari discards it
        }
    }

    /** When a lease of the application last ended without a connection-level failure ({@link System#nanoTime()}). */
    long lastAnswerNanos() {
        return lastAnswerNanos;
    }

    /** A monitor check got no answer while the node answered the application: not counted against it. */
    void inconclusiveCheck() {
        inconclusiveChecks.increment();
    }

    /** Monitor checks without an answer that were not counted, because the node kept answering the application. */
    public long inconclusiveChecks() {
        return inconclusiveChecks.sum();
    }

    /** A lease of this node's connection starts; {@link #fence} may end it until {@link #returned} is called. */
    void lent(RoutedLease lease) {
        lent.add(lease);
    }

    void returned(RoutedLease lease) {
        lent.remove(lease);
    }

    /**
     * The failover fence: this node stopped being the write target, so every connection lent from it now is aborted
     * ({@link Connection#abort}, on {@code executor}) and its idle connections are evicted. A caller blocked in a
     * socket read on an unreachable (blackholed) old primary gets its connection error at once, its unit fails as
     * usual (a write as {@code WriteInterruptedException}, saying whether its commit was on its way), and the
     * application moves to the new primary instead of waiting for {@code socketTimeout}. On a node that is merely
     * demoted the connections would fail at their next statement anyway; nothing is lost by ending them now.
     *
     * @return how many lent connections were aborted
     */
    int fence(Executor executor) {
        List<RoutedLease> now = List.copyOf(lent);
        for (RoutedLease lease : now) {
            lease.abort(executor);
        }
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
        fenced.add(now.size());
        return now.size();
    }

    /** Lent connections the failover fence aborted ({@link #fence}). */
    public long fencedConnections() {
        return fenced.sum();
    }

    /** Gives a borrowed connection back and reports the outcome to the breaker. */
    void giveBack(Connection connection, @Nullable Throwable failure, long heldNanos) {
        boolean nodeFailure = NodeBreaker.countsAgainstNode(failure);
        try {
            if (nodeFailure) {
                dataSource.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException e) {
            // returning a broken connection must not fail the caller; Hikari discards it
        } finally {
            outstanding.decrementAndGet();
            bulkhead.onComplete();
            AdaptiveLimit a = adaptive;
            if (a != null) {
                if (nodeFailure) {
                    a.release(); // a broken node's hold time says nothing about its queue
                } else {
                    a.onRelease(heldNanos);
                }
            }
            if (nodeFailure) {
                breaker.recordError(heldNanos, failure);
            } else {
                breaker.onSuccess(heldNanos);
                answered();
            }
        }
    }

    /**
     * Notes that the node just answered. Written at most once per millisecond: every lease ends here, and a field
     * written by every caller would bounce its cache line between cores.
     */
    private void answered() {
        long now = System.nanoTime();
        if (now - lastAnswerNanos > ANSWER_RESOLUTION_NANOS) {
            lastAnswerNanos = now;
        }
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
                h.up() ? null : h.lastError(), active, idle, total, waiting, outstanding.get(), breakerState(),
                h.timeline(), config.roleDiscovered());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
