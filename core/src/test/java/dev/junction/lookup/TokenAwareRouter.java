package dev.junction.lookup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.ClosingLease;
import dev.junction.Consistency;
import dev.junction.JunctionException;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A small real router for the lookup tests: a HikariCP pool per node of the embedded cluster (the replica's
 * read-only at the server), writes on the primary, reads on replica-1 when they may be served there: always for
 * {@code eventual}, for {@code after(token)} only once the replica has replayed the token (checked on the lent
 * connection before the read, so before its snapshot), never for {@code strong}. Optionally offers dedicated primary
 * connections (the SPI's optional method). The routing module has the production router.
 */
public final class TokenAwareRouter implements ConnectionRouter {
    public static final NodeRef PRIMARY = new NodeRef("primary", Role.PRIMARY);
    public static final NodeRef REPLICA = new NodeRef("replica-1", Role.REPLICA);

    private final EmbeddedPostgresCluster cluster;
    private final boolean dedicated;
    final HikariDataSource primary;
    final HikariDataSource replica;
    /** The node of each lease, in order. */
    public final List<NodeRef> served = new CopyOnWriteArrayList<>();

    public TokenAwareRouter(EmbeddedPostgresCluster cluster, boolean dedicated) {
        this.cluster = cluster;
        this.dedicated = dedicated;
        this.primary = pool(cluster, cluster.primary(), false);
        this.replica = pool(cluster, cluster.replicas().get(0), true);
    }

    private static HikariDataSource pool(EmbeddedPostgresCluster cluster, PgNode node, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(node.jdbcUrl());
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setMaximumPoolSize(6);
        config.setMinimumIdle(0);
        config.setPoolName("lookup-test-" + node.name());
        if (readOnly) {
            config.setReadOnly(true);
            config.addDataSourceProperty("readOnlyMode", "always");
        }
        return new HikariDataSource(config);
    }

    @Override
    public Lease acquire(RouteRequest request) {
        try {
            if (request.intent() == Intent.READ && !(request.consistency() instanceof Consistency.Strong)) {
                Connection c = replica.getConnection();
                if (!(request.consistency() instanceof Consistency.After after) || replayed(c, after)) {
                    return lease(c, REPLICA);
                }
                c.close();
            }
            return lease(primary.getConnection(), PRIMARY);
        } catch (SQLException e) {
            throw new JunctionException("test pool failed", e);
        }
    }

    private static boolean replayed(Connection c, Consistency.After after) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            s.setString(1, after.token().lsnText());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Lease lease(Connection connection, NodeRef node) {
        served.add(node);
        return new ClosingLease(connection, node, node == REPLICA ? "replica" : "primary");
    }

    @Override
    public @Nullable Connection openDedicatedPrimaryConnection() throws SQLException {
        return dedicated ? cluster.primary().connect() : null;
    }

    @Override
    public void close() {
        primary.close();
        replica.close();
    }
}
