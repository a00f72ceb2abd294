package dev.junction.spring;

import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * An unpooled DataSource on the node that takes writes now, for schema migrations (Boot's Flyway) and other
 * admin work: each {@link #getConnection()} opens a new connection (to the node's direct URL when it has one, since
 * migrations need a session a transaction-mode pooler does not keep), and closing it closes it. It keeps no pool and
 * no thread, so nothing of it outlives the context; its connections count against the connection budget's
 * {@code reservedConnections}, not against Junction's pools. Connections carry
 * {@code application_name = junction-admin}. With discovered roles it follows the monitor's current primary.
 * Thread-safe.
 */
final class PrimaryDataSource implements DataSource {
    static final String APPLICATION_NAME = "junction-admin";

    private final RoutingConfig config;
    private final ClusterRouter router;
    private final Driver driver = new Driver();
    private volatile int loginTimeoutSeconds;

    PrimaryDataSource(RoutingConfig config, ClusterRouter router) {
        this.config = Objects.requireNonNull(config, "config");
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(config.credentials().user(), config.credentials().password());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        String primary = router.primaryStatus().node();
        if (primary == null) {
            throw new SQLException("no node takes writes now (" + router.primaryStatus().writesRefused()
                    + "); migrations need the primary", "08001");
        }
        NodeConfig node = config.nodes().stream().filter(n -> n.name().equals(primary)).findFirst()
                .orElseThrow(() -> new SQLException("the primary '" + primary + "' is not configured", "08001"));
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("ApplicationName", APPLICATION_NAME);
        if (loginTimeoutSeconds > 0) {
            props.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        }
        String url = node.directUrl() != null ? node.directUrl() : node.jdbcUrl();
        Connection c = driver.connect(url, props);
        if (c == null) {
            throw new SQLException("the URL of node '" + node.name() + "' is not a PostgreSQL URL", "08001");
        }
        return c;
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
        // no driver log writer: pgjdbc logs through java.util.logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
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
        return "PrimaryDataSource[junction]";
    }
}
