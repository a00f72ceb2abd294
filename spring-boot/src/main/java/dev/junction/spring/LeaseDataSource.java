package dev.junction.spring;

import dev.junction.routing.ClusterRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.LentConnections;
import dev.junction.spi.RouteRequest;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A DataSource over the router's pools with one intent: {@link Intent#WRITE} leases from the primary,
 * {@link Intent#READ} leases from an eligible replica (lag exclusion, breakers and the fallback policy apply as for
 * {@code db.read}). Each {@link #getConnection()} is one lease; closing the connection gives it back, exactly once.
 * The routing DataSource puts two of these behind Spring's lazy proxy. Thread-safe; a connection belongs to the
 * thread that took it, as a lease does.
 */
final class LeaseDataSource implements DataSource {
    private final ClusterRouter router;
    private final Intent intent;

    LeaseDataSource(ClusterRouter router, Intent intent) {
        this.router = Objects.requireNonNull(router, "router");
        this.intent = Objects.requireNonNull(intent, "intent");
    }

    @Override
    public Connection getConnection() throws SQLException {
        Lease lease = router.acquire(intent == Intent.WRITE ? RouteRequest.write() : RouteRequest.read());
        Connection target = lease.connection();
        try {
            // Spring's transactions are not Junction writes: no write budget left on the session applies to them.
            LentConnections.clearWriteBudget(target);
        } catch (SQLException | RuntimeException e) {
            lease.release(e);
            throw e;
        }
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (released.compareAndSet(false, true)) {
                                lease.release(null);
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return released.get() || target.isClosed();
                        }
                        case "unwrap" -> {
                            if (((Class<?>) args[0]).isInstance(proxy)) {
                                return proxy;
                            }
                        }
                        case "toString" -> {
                            return "Connection[" + lease + "]";
                        }
                        default -> {
                        }
                    }
                    if (released.get()) {
                        throw new SQLException("connection was closed", "08003");
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the routing DataSource logs in with junction.credentials only");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
        // the pools log through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the pools' connection timeout applies (junction.pool.*.connection-timeout)
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "LeaseDataSource[" + intent + "]";
    }
}
