package dev.junction;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real router over every replica of the embedded cluster for core's pinning tests: writes on the primary, reads
 * that name a pinned replica on that replica, every other read on the next replica in turn. The rotation makes a
 * group whose siblings do not ask for the first sibling's node land on two replicas, so pinning can be seen to work.
 * Records every request.
 */
final class RotatingReplicasRouter implements ConnectionRouter {
    private final HikariDataSource primary;
    private final List<HikariDataSource> replicas = new ArrayList<>();
    private final List<NodeRef> replicaNodes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    final List<RouteRequest> requests = new CopyOnWriteArrayList<>();

    RotatingReplicasRouter(EmbeddedPostgresCluster cluster, int poolSize) {
        if (cluster.replicas().size() < 2) {
            throw new IllegalArgumentException("rotation needs at least two replicas, the cluster has "
                    + cluster.replicas().size());
        }
        this.primary = TwoPoolRouter.pool(cluster, cluster.primary(), poolSize, false);
        for (int i = 0; i < cluster.replicas().size(); i++) {
            replicas.add(TwoPoolRouter.pool(cluster, cluster.replicas().get(i), poolSize, true));
            replicaNodes.add(new NodeRef("replica-" + (i + 1), Role.REPLICA));
        }
    }

    @Override
    public Lease acquire(RouteRequest request) {
        requests.add(request);
        try {
            if (request.intent() == Intent.WRITE) {
                return new ClosingLease(primary.getConnection(), TwoPoolRouter.PRIMARY, "primary");
            }
            int index = -1;
            for (int i = 0; i < replicaNodes.size() && request.pinned() != null; i++) {
                if (replicaNodes.get(i).name().equals(request.pinned())) {
                    index = i;
                }
            }
            String reason = "pinned";
            if (index < 0) {
                index = Math.floorMod(next.getAndIncrement(), replicaNodes.size());
                reason = "replica";
            }
            return new ClosingLease(replicas.get(index).getConnection(), replicaNodes.get(index), reason);
        } catch (SQLException e) {
            throw new JunctionException("test pool failed", e);
        }
    }

    @Override
    public void close() {
        primary.close();
        replicas.forEach(HikariDataSource::close);
    }
}
