package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;

/**
 * The HikariCP configuration of one node's pool: sizes and timeouts from {@link PoolSettings}, bounded pgJDBC
 * connect, socket and cancel timeouts, no bind values in server error details, and read-only replica pools (enforced
 * by the server where no transaction-mode pooler sits in between). Pure: no pool is started here.
 */
final class PoolConfigs {
    private PoolConfigs() {
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
}
