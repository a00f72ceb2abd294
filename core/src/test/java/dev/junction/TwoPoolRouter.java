package dev.junction;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A minimal real router for core's tests: two HikariCP pools on the embedded cluster, writes to the primary, reads to
 * replica-1 (read-only at the server: readOnlyMode=always) unless it is excluded or the read is {@code strong}, then
 * to the primary. Records every request and every failure handed to release. The routing module has the production
 * router.
 */
final class TwoPoolRouter implements ConnectionRouter {
    static final NodeRef PRIMARY = new NodeRef("primary", Role.PRIMARY);
    static final NodeRef REPLICA = new NodeRef("replica-1", Role.REPLICA);

    final HikariDataSource primary;
    final HikariDataSource replica;
    final List<RouteRequest> requests = new CopyOnWriteArrayList<>();
    final List<@Nullable Throwable> releases = new CopyOnWriteArrayList<>();

    TwoPoolRouter(EmbeddedPostgresCluster cluster, int poolSize) {
        this.primary = pool(cluster, cluster.primary(), poolSize, false);
        this.replica = pool(cluster, cluster.replicas().get(0), poolSize, true);
    }

    static HikariDataSource pool(EmbeddedPostgresCluster cluster, PgNode node, int size, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(node.jdbcUrl());
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setPoolName("test-" + node.name());
        if (readOnly) {
            config.setReadOnly(true);
            config.addDataSourceProperty("readOnlyMode", "always");
        }
        return new HikariDataSource(config);
    }

    @Override
    public Lease acquire(RouteRequest request) {
        requests.add(request);
        // A strong read must see every commit, so only the primary may serve it.
        boolean toReplica = request.intent() == Intent.READ && !(request.consistency() instanceof Consistency.Strong)
                && !request.excluded().contains(REPLICA.name());
        NodeRef node = toReplica ? REPLICA : PRIMARY;
        String reason = request.intent() == Intent.WRITE ? "primary" : toReplica ? "replica" : "fallback";
        try {
            Connection connection = (toReplica ? replica : primary).getConnection();
            return new ClosingLease(connection, node, reason, releases::add);
        } catch (SQLException e) {
            throw new JunctionException("test pool for " + node.name() + " failed", e);
        }
    }

    int activeConnections() {
        return primary.getHikariPoolMXBean().getActiveConnections()
                + replica.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public void close() {
        primary.close();
        replica.close();
    }
}
