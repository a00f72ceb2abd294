package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.routing.BreakerState;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Everything the router keeps for one node: its HikariCP pool, circuit breaker, bulkhead, outstanding lease count and
 * the monitor's last observation. Thread-safe.
 */
public final class NodeRuntime implements AutoCloseable, Candidate {
    /** How often a caller waiting for a connection checks whether the monitor found the node down meanwhile. */
    static final Duration ABANDON_CHECK = Duration.ofMillis(20);

    private final NodeConfig config;
    private final int index;
    private final PoolSettings pool;
    private final String poolName;
    private final HikariDataSource dataSource;
    private final CircuitBreaker breaker;
    private final Duration waitInOpenState;
    private final Bulkhead bulkhead;
    private final int maxWaiting;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile NodeHealth health = NodeHealth.UNKNOWN;
    private volatile long openedAtNanos;
    private volatile boolean systemIdentifierKnown;
    private volatile long systemIdentifier;
    private volatile Runnable onFailure = () -> { };
    /** When the monitor last found the node down ({@link System#nanoTime()}); callers waiting since before give up. */
    private volatile long lastFoundDownNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    public NodeRuntime(NodeConfig config, int index, RoutingConfig routing) {
        this.config = config;
        this.index = index;
        this.pool = routing.poolFor(config);
        this.poolName = "junction-" + config.name();
        this.maxWaiting = routing.bulkhead().maxWaitingFor(pool.maximumPoolSize());
        this.dataSource = new HikariDataSource(hikariConfig(config, pool, routing));
        var cb = routing.circuitBreaker();
        this.waitInOpenState = cb.waitInOpenState();
        this.breaker = CircuitBreaker.of(poolName, CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .minimumNumberOfCalls(cb.minimumCalls())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.permittedCallsInHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(NodeRuntime::countsAgainstNode)
                // A long report on a healthy replica is not a failure: only failures open the breaker.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .writableStackTraceEnabled(false)
                .build());
        // No event consumer of our own: with any consumer registered, Resilience4j builds a timestamped event for every
        // call, which was a tenth of the per-read overhead. The breaker opens only in onError and
        // transitionToOpenState, so the opening time is taken there (see recordError and openBreaker).
        this.bulkhead = Bulkhead.of(poolName, BulkheadConfig.custom()
                .maxConcurrentCalls(pool.maximumPoolSize() + maxWaiting)
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    static HikariConfig hikariConfig(NodeConfig node, PoolSettings pool, RoutingConfig routing) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("junction-" + node.name());
        h.setJdbcUrl(node.jdbcUrl());
        h.setUsername(routing.credentials().user());
        h.setPassword(routing.credentials().password());
        h.setMaximumPoolSize(pool.maximumPoolSize());
        h.setMinimumIdle(pool.minimumIdle());
        h.setConnectionTimeout(pool.connectionTimeout().toMillis());
        h.setValidationTimeout(Math.max(250, Math.min(pool.connectionTimeout().toMillis(), 5_000)));
        h.setIdleTimeout(pool.idleTimeout().toMillis());
        h.setMaxLifetime(pool.maxLifetime().toMillis());
        h.setInitializationFailTimeout(-1); // start even when the node is down; the monitor brings it in later
        h.setAutoCommit(true);
        h.addDataSourceProperty("ApplicationName", "junction");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        // The server's DETAIL often quotes values ("Key (email)=(...) already exists"): keep bind values out of
        // exception messages and logs. The details stay readable through PSQLException.getServerErrorMessage().
        h.addDataSourceProperty("logServerErrorDetail", "false");
        h.addDataSourceProperty("connectTimeout", Integer.toString(Durations.ceilSeconds(pool.connectTimeout())));
        h.addDataSourceProperty("socketTimeout", Integer.toString(Durations.ceilSeconds(pool.socketTimeout())));
        if (!pool.connectTimeout().isZero()) {
            // Cancelling a statement (transaction budgets, parallel groups) opens a connection of its own; bound it
            // like any other, not by pgJDBC's default of 10 s, so a cancel sent to an unreachable node returns.
            h.addDataSourceProperty("cancelSignalTimeout",
                    Integer.toString(Durations.ceilSeconds(pool.connectTimeout())));
        }
        Pooler pooler = routing.poolerFor(node);
        DriverSettings.forPooler(pooler).forEach(h::addDataSourceProperty);
        if (node.role() == Role.REPLICA) {
            h.setReadOnly(true);
            if (pooler == Pooler.NONE) {
                // setReadOnly alone only gives BEGIN READ ONLY when autocommit is off; 'always' makes the server
                // refuse writes in autocommit too. It does so with a session-level SET, which a transaction-mode
                // pooler would leave on whichever server session it lent: there the standby's own refusal has to do.
                h.addDataSourceProperty("readOnlyMode", "always");
            }
        }
        // A node whose role is discovered may become the primary at any time: its pool must stay writable, and a
        // standby refuses writes by itself.
        return h;
    }

    /**
     * Whether a failure counts against the node's health: connection-level failures (SQLState class 08, 57P01-03)
     * and pool acquisition timeouts; not SQL errors such as constraint violations.
     */
    public static boolean countsAgainstNode(@Nullable Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (SqlFailures.isConnectionFailure(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
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

    public int maxWaiting() {
        return maxWaiting;
    }

    public NodeHealth health() {
        return health;
    }

    public void health(NodeHealth observed) {
        if (!observed.up()) {
            lastFoundDownNanos = System.nanoTime();
        }
        this.health = observed;
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
        return breaker;
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }

    AtomicInteger outstandingCounter() {
        return outstanding;
    }

    /** True while the breaker is open and its wait has not passed (after it, a trial call may go through). */
    public boolean breakerBlocks() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.FORCED_OPEN) {
            return true;
        }
        return s == CircuitBreaker.State.OPEN && System.nanoTime() - openedAtNanos < waitInOpenState.toNanos();
    }

    /** Opens the breaker because the monitor found the node down; a breaker already open keeps its timer. */
    void openBreaker() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToOpenState();
            openedAtNanos = System.nanoTime();
        } else if (s == CircuitBreaker.State.OPEN) {
            openedAtNanos = System.nanoTime(); // still down: the trial calls wait until it answers again
        }
    }

    public BreakerState breakerState() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }

    /** Words for "why the breaker blocks", with the numbers. */
    public String breakerDescription() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return "circuit breaker OPEN (" + Math.round(Math.max(0, m.getFailureRate())) + "% of the last "
                + m.getNumberOfBufferedCalls() + " calls failed at connection level; trial calls after "
                + Durations.format(waitInOpenState) + ")";
    }

    /**
     * Takes a bulkhead permit and a breaker permit, then a connection.
     *
     * @throws AcquireFailure describing which of the three refused
     */
    public Connection borrow() throws AcquireFailure {
        if (!bulkhead.tryAcquirePermission()) {
            throw new AcquireFailure(AcquireFailure.Kind.SATURATED, 0, null);
        }
        if (!breaker.tryAcquirePermission()) {
            bulkhead.onComplete();
            throw new AcquireFailure(AcquireFailure.Kind.BREAKER_OPEN, 0, null);
        }
        long start = System.nanoTime();
        try {
            Connection c = connectionUnlessFoundDown(start);
            outstanding.incrementAndGet();
            return c;
        } catch (SQLException e) {
            long elapsed = System.nanoTime() - start;
            boolean nodeFailure = SqlFailures.isConnectionFailure(e) || e.getCause() != null
                    || !(e instanceof SQLTransientConnectionException);
            if (nodeFailure) {
                recordError(elapsed, e);
            } else {
                // Only the wait for a busy pool ran out: that is load, not a broken node. Counting it opened the
                // breaker of a healthy replica, and its reads then fell back to the primary, which is what
                // shedding saturated reads is there to prevent.
                breaker.releasePermission();
            }
            bulkhead.onComplete();
            throw new AcquireFailure(nodeFailure ? AcquireFailure.Kind.NODE_FAILURE : AcquireFailure.Kind.TIMEOUT,
                    TimeUnit.NANOSECONDS.toMillis(elapsed), e);
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            bulkhead.onComplete();
            throw e;
        }
    }

    /**
     * A connection from the pool. When none is idle, the wait (up to the pool's {@code connectionTimeout}) is given up
     * as soon as the monitor finds the node down: HikariCP keeps trying to connect to a dead server until the timeout,
     * and after a crash every caller that arrived just before the monitor noticed would otherwise sit out the whole
     * timeout instead of failing over (or, for a write, failing retryably) at once. A connection that arrives after
     * the wait was given up goes straight back to the pool.
     */
    private Connection connectionUnlessFoundDown(long start) throws SQLException {
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        // Fewer borrowed than open means one is idle (or about to be): take it directly. Counting HikariCP's idle
        // connections walks its whole bag on every borrow; the total is a size read.
        if (mx == null || outstanding.get() < mx.getTotalConnections() || mx.getIdleConnections() > 0) {
            return dataSource.getConnection();
        }
        CompletableFuture<Connection> pending = new CompletableFuture<>();
        Thread.ofVirtual().name("junction-borrow-" + config.name()).start(() -> {
            try {
                pending.complete(dataSource.getConnection());
            } catch (SQLException | RuntimeException e) {
                pending.completeExceptionally(e);
            }
        });
        try {
            while (true) {
                try {
                    return pending.get(ABANDON_CHECK.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillWaiting) {
                    if (lastFoundDownNanos - start > 0) {
                        abandon(pending);
                        throw new SQLException("the monitor found node '" + name() + "' down while this call waited "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + "ms for a connection ("
                                + health.lastError() + ")", "08001");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLException("could not get a connection from pool '" + poolName + "'", "08001", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new SQLTransientConnectionException("interrupted while waiting for a connection of pool '"
                    + poolName + "'");
        }
    }

    private static void abandon(CompletableFuture<Connection> pending) {
        pending.whenComplete((c, e) -> {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Hikari discards it
                }
            }
        });
    }

    private void recordError(long nanos, Throwable failure) {
        CircuitBreaker.State before = breaker.getState();
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        if (before != CircuitBreaker.State.OPEN && breaker.getState() == CircuitBreaker.State.OPEN) {
            openedAtNanos = System.nanoTime();
        }
    }

    /** Gives a borrowed connection back and reports the outcome to the breaker. */
    void giveBack(Connection connection, @Nullable Throwable failure, long heldNanos) {
        boolean nodeFailure = countsAgainstNode(failure);
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
            if (nodeFailure) {
                recordError(heldNanos, failure);
            } else {
                breaker.onSuccess(heldNanos, TimeUnit.NANOSECONDS);
            }
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
