package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.spi.Role;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replica weights and the latency-aware strategy on real replicas (issue 23). */
@WithEmbeddedCluster(replicas = 2)
class SelectionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int READS = 400;

    private static RoutingConfig.Builder twoReplicas(EmbeddedPostgresCluster cluster, NodeConfig first,
                                                     NodeConfig second) {
        return RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .monitorInterval(Duration.ofMillis(100))
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(first).node(second);
    }

    private static Map<String, Integer> readsByNode(Database db) {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < READS; i++) {
            served.merge(db.readReported(ctx -> ctx.fetchSingle("select 1").get(0)).report().nodes().get(0).name(),
                    1, Integer::sum);
        }
        return served;
    }

    @Test
    void replicasWeightedThreeToOneServeAboutThreeReadsToOne(EmbeddedPostgresCluster cluster) {
        PgNode r1 = cluster.replicas().get(0);
        PgNode r2 = cluster.replicas().get(1);
        try (ClusterRouter router = ClusterRouter.create(twoReplicas(cluster,
                NodeConfig.builder().name(r1.name()).jdbcUrl(r1.jdbcUrl()).role(Role.REPLICA)
                        .weight(3).build(),
                NodeConfig.replica(r2.name(), r2.jdbcUrl())).build());
             Database db = Junction.builder().router(router).build()) {
            Map<String, Integer> served = readsByNode(db);
            // Unweighted round-robin gives 200 / 200.
            assertThat(served.get(r1.name())).isBetween(270, 330);
            assertThat(served.get(r2.name())).isBetween(70, 130);
        }
    }

    @Test
    void aReplicaTwentyMillisecondsFartherAwayGetsClearlyFewerReadsUnderLatencyAware(
            EmbeddedPostgresCluster cluster) {
        PgNode near = cluster.replicas().get(0);
        PgNode far = cluster.replicas().get(1);
        far.proxy().latency(Duration.ofMillis(10)); // each way: +20 ms per round trip
        try (ClusterRouter router = ClusterRouter.create(twoReplicas(cluster,
                NodeConfig.replica(near.name(), near.jdbcUrl()), NodeConfig.replica(far.name(), far.proxiedJdbcUrl()))
                .selection(SelectionStrategy.LATENCY_AWARE).build());
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, WAIT, "both replicas are eligible", () -> Clusters.status(router, near.name())
                    .eligible() && Clusters.status(router, far.name()).eligible());
            Map<String, Integer> served = readsByNode(db);
            // Round-robin would give each 200.
            assertThat(served.getOrDefault(far.name(), 0)).isLessThan(READS / 10);
            assertThat(served.get(near.name())).isGreaterThan(READS * 9 / 10);
        } finally {
            far.proxy().latency(Duration.ZERO);
        }
    }
}
