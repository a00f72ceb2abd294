package dev.junction.routing;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test support: a routing configuration for an embedded cluster, and polling until the router sees a state. */
final class Clusters {
    private Clusters() {
    }

    /** The primary and every replica of {@code cluster}, polled every 100 ms, small pools. */
    static RoutingConfig.Builder config(EmbeddedPostgresCluster cluster) {
        RoutingConfig.Builder b = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .monitorInterval(Duration.ofMillis(100))
                .primaryPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()));
        for (PgNode replica : cluster.replicas()) {
            b.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
        }
        return b;
    }

    static NodeStatus status(ClusterRouter router, String node) {
        return router.topology().snapshot().stream().filter(s -> s.name().equals(node)).findFirst().orElseThrow();
    }

    /** Polls {@code condition} every 20 ms; fails with {@code what} and the topology after {@code timeout}. */
    static void await(ClusterRouter router, Duration timeout, String what, BooleanSupplier condition) {
        awaitOr(timeout, what, condition, () -> String.valueOf(router.topology().snapshot()));
    }

    static void awaitOr(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what + "; state: "
                        + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
