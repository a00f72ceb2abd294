package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Lending one node's connections and taking them back: a borrow takes a place under the {@link CallerLimit}, a
 * breaker permit ({@link NodeBreaker}) and then a connection from the HikariCP pool; giving the connection back frees
 * both and tells each what the caller saw. A wait for a busy pool is given up once the monitor finds the node down
 * ({@link PoolWaiters}). The one place that keeps the permits balanced on every path, failures included.
 * Thread-safe.
 */
final class NodeLending {
    private final String nodeName;
    private final int poolSize;
    private final HikariDataSource dataSource;
    private final CallerLimit limit;
    private final NodeBreaker breaker;
    private final Answers answers;
    /** The monitor's last error for the node, for the message of a wait it ended. */
    private final Supplier<String> downReason;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final PoolWaiters waiters = new PoolWaiters();

    NodeLending(String nodeName, int poolSize, HikariDataSource dataSource, CallerLimit limit, NodeBreaker breaker,
            Answers answers, Supplier<String> downReason) {
        this.nodeName = nodeName;
        this.poolSize = poolSize;
        this.dataSource = dataSource;
        this.limit = limit;
        this.breaker = breaker;
        this.answers = answers;
        this.downReason = downReason;
    }

    /**
     * Takes a place under the caller limit and a breaker permit, then a connection.
     *
     * @throws AcquireFailure describing which of the three refused
     */
    Connection borrow() throws AcquireFailure {
        if (!limit.admit()) {
            throw new AcquireFailure(AcquireFailure.Kind.SATURATED, 0, null);
        }
        if (!breaker.tryAcquirePermission()) {
            limit.leave();
            throw new AcquireFailure(AcquireFailure.Kind.BREAKER_OPEN, 0, null);
        }
        long start = System.nanoTime();
        try {
            Connection c = connectionUnlessFoundDown(start);
            outstanding.incrementAndGet();
            limit.waited(System.nanoTime() - start);
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
            limit.leaveAfterFailedWait(nodeFailure);
            throw new AcquireFailure(nodeFailure ? AcquireFailure.Kind.NODE_FAILURE : AcquireFailure.Kind.TIMEOUT,
                    TimeUnit.NANOSECONDS.toMillis(elapsed), e);
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            limit.leave();
            throw e;
        }
    }

    /**
     * A connection only if the pool has one idle now or room to open one, for the extra connections of a parallel
     * group: the permits of {@link #borrow()}, but no wait in the pool's queue. When another caller takes the idle
     * connection between the look and the take, this waits as a borrow would; the look keeps that window small.
     *
     * @return the connection, or null when none is idle and the pool is full, or a permit is refused
     */
    @Nullable Connection tryBorrow() {
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        // An idle connection, or room to open one: the pool grows on demand (minimumIdle below the maximum), and a
        // connect is a wait for the server, not for a connection the group itself holds.
        if (mx == null || (mx.getIdleConnections() == 0 && mx.getTotalConnections() >= poolSize)) {
            return null;
        }
        if (!limit.admitExtra()) {
            return null;
        }
        if (!breaker.tryAcquirePermission()) {
            limit.leave();
            return null;
        }
        long start = System.nanoTime();
        try {
            Connection c = dataSource.getConnection();
            outstanding.incrementAndGet();
            limit.waited(System.nanoTime() - start);
            return c;
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e) || !(e instanceof SQLTransientConnectionException)) {
                breaker.recordError(System.nanoTime() - start, e);
            } else {
                breaker.releasePermission();
            }
            limit.leave();
            return null;
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            limit.leave();
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
                SQLException down = new SQLException("the monitor found node '" + nodeName + "' down while"
                        + " this call waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                        + "ms for a connection (" + downReason.get() + ")", "08001", failure);
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

    /** Gives a borrowed connection back and reports the outcome to the caller limit and the breaker. */
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
            limit.leaveAfterHold(heldNanos, nodeFailure);
            if (nodeFailure) {
                breaker.recordError(heldNanos, failure);
            } else {
                breaker.onSuccess(heldNanos);
                answers.answered();
            }
        }
    }

    /** Ends the wait of every borrow waiting for a connection now (the monitor found the node down). */
    void interruptWaiters() {
        waiters.interruptAll();
    }

    /** Connections borrowed and not yet given back. */
    int outstanding() {
        return outstanding.get();
    }
}
