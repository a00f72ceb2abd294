package dev.junction.routing.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A caller's wait for a connection of a pool with none idle, given up as soon as the monitor finds the node down:
 * HikariCP keeps trying to connect to a dead server until its {@code connectionTimeout}, and after a crash every
 * caller that arrived just before the monitor noticed would otherwise sit out the whole timeout instead of failing
 * over (or, for a write, failing retryably) at once. A connection that arrives after the wait was given up goes
 * straight back to the pool.
 */
final class ConnectionWait {
    /** How often a caller waiting for a connection checks whether the monitor found the node down meanwhile. */
    static final Duration ABANDON_CHECK = Duration.ofMillis(20);

    private ConnectionWait() {
    }

    /** @param start when the caller began to wait ({@link System#nanoTime()}) */
    static Connection unlessFoundDown(NodeRuntime node, long start) throws SQLException {
        CompletableFuture<Connection> pending = new CompletableFuture<>();
        Thread.ofVirtual().name("junction-borrow-" + node.name()).start(() -> {
            try {
                pending.complete(node.dataSource().getConnection());
            } catch (SQLException | RuntimeException e) {
                pending.completeExceptionally(e);
            }
        });
        try {
            while (true) {
                try {
                    return pending.get(ABANDON_CHECK.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillWaiting) {
                    if (node.lastFoundDownNanos() - start > 0) {
                        abandon(pending);
                        throw new SQLException("the monitor found node '" + node.name() + "' down while this call"
                                + " waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                                + "ms for a connection (" + node.health().lastError() + ")", "08001");
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
            throw new SQLException("could not get a connection from pool '" + node.poolName() + "'", "08001",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new SQLTransientConnectionException("interrupted while waiting for a connection of pool '"
                    + node.poolName() + "'");
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
}
