package dev.junction.routing.internal;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpooled connections to the write target, for sessions their owner keeps (the lookup listener's {@code LISTEN}).
 * They go to the node's direct URL when it is behind a pooler. Once the write target moves to another node (or
 * writes are refused), the connections to the old one are aborted so that their owner reconnects to the new primary
 * instead of listening on a demoted or fenced node. Thread-safe.
 */
public final class DedicatedConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DedicatedConnections.class);
    private static final Driver DRIVER = new Driver();

    private final RoutingConfig config;
    private final HealthMonitor monitor;
    private final Map<Connection, NodeRuntime> open = new ConcurrentHashMap<>();

    public DedicatedConnections(RoutingConfig config, HealthMonitor monitor) {
        this.config = config;
        this.monitor = monitor;
    }

    /** A new autocommit connection to the write target, tracked until it is closed or aborted. */
    public Connection open() throws SQLException {
        PrimaryView view = monitor.view();
        NodeRuntime target = view.target();
        if (view.refusal() != null || target == null) {
            throw new SQLException("no node takes writes now, so there is no primary to connect to: "
                    + (view.refusal() != null ? view.refusal() : "no node is known to be in the primary role yet"),
                    "08001");
        }
        NodeHealth health = target.health();
        if (health.checked() && (!health.up() || health.observedRole() == Role.REPLICA)) {
            throw new SQLException("primary '" + target.name() + "' is " + (health.up() ? "in recovery"
                    : "down (" + health.lastError() + ")") + "; no connection opened", "08001");
        }
        NodeConfig node = target.config();
        String url = node.jdbcUrl();
        Pooler pooler = config.poolerFor(node);
        if (pooler != Pooler.NONE) {
            if (node.directUrl() == null) {
                throw new SQLException("node '" + node.name() + "' is reached through pooler " + pooler + ", which"
                        + " does not keep the session a LISTEN lives in; set nodes[" + target.index() + "].directUrl"
                        + " to the server's own address, or give Lookups a listenerDataSource", "0A000");
            }
            url = node.directUrl();
        }
        Properties props = new Properties();
        props.setProperty("user", config.credentials().user());
        props.setProperty("password", config.credentials().password());
        int seconds = Math.max(1, Durations.ceilSeconds(config.poolFor(node).connectTimeout()));
        props.setProperty("connectTimeout", Integer.toString(seconds));
        props.setProperty("loginTimeout", Integer.toString(seconds));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "junction");
        Connection c = DRIVER.connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + JdbcUrls.redacted(url), "08001");
        }
        open.put(c, target);
        return c;
    }

    /** Aborts the tracked connections that do not go to the current write target; forgets closed ones. */
    public void dropThoseOffTarget() {
        if (open.isEmpty()) {
            return;
        }
        PrimaryView view = monitor.view();
        open.forEach((c, node) -> {
            boolean stale = view.target() != node || view.refusal() != null;
            try {
                if (c.isClosed()) {
                    open.remove(c);
                } else if (stale) {
                    open.remove(c);
                    log.info("closing a dedicated connection to '{}': writes go to {} now", node.name(),
                            view.target() == null || view.refusal() != null ? "no node"
                                    : "'" + view.target().name() + "'");
                    c.abort(Runnable::run);
                }
            } catch (SQLException | RuntimeException e) {
                open.remove(c);
            }
        });
    }

    /** Closes every tracked connection that is still open. */
    @Override
    public void close() {
        open.keySet().forEach(c -> {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        });
        open.clear();
    }
}
