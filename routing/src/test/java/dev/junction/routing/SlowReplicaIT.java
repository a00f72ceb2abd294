package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that answers, but slowly (issue 20 item 4): the testkit proxy adds 25 ms each way (50 ms per round trip)
 * in front of replica-2. The monitor finds it far slower than replica-1, reads go to replica-1 meanwhile, counted as
 * {@code slow_replica}, and replica-2 serves again once the latency is gone.
 */
@WithEmbeddedCluster(replicas = 2)
class SlowReplicaIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aReplicaFarSlowerThanItsPeerLosesItsReadsUntilItRecovers(EmbeddedPostgresCluster cluster) {
        TcpProxy proxy = cluster.node("replica-2").proxy();
        proxy.restore();
        proxy.latency(Duration.ZERO);
        RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica("replica-1", cluster.node("replica-1").jdbcUrl()))
                .node(NodeConfig.replica("replica-2", cluster.node("replica-2").proxiedJdbcUrl()))
                .replicaPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build())
                .monitorInterval(Duration.ofMillis(100))
                .slowReplicaWindow(Duration.ofSeconds(1))
                .build();
        try (ClusterRouter router = ClusterRouter.create(config);
             Database db = Junction.builder().router(router).build()) {
            Map<String, Integer> before = servedBy(db, 100);
            assertThat(before).as("round robin over both while both are quick")
                    .containsOnlyKeys("replica-1", "replica-2");

            proxy.latency(Duration.ofMillis(25));
            Clusters.await(router, WAIT, "replica-2 found slow", () -> {
                db.read(ctx -> ctx.fetch("select 1"));
                return router.routingCounts().getOrDefault("slow_replica", 0L) > 0;
            });
            Map<String, Integer> whileSlow = servedBy(db, 100);
            // Issue 20's bound: the slow replica's share of reads drops below 10%. Not "none": on a loaded machine the
            // quick replica's own response times spike too, and a read may find the two not far apart for a moment.
            assertThat(whileSlow.getOrDefault("replica-2", 0)).as("reads on the slow replica, of 100: %s", whileSlow)
                    .isLessThan(10);
            assertThat(router.routingCounts().get("slow_replica")).as("each read that skipped it counted")
                    .isGreaterThanOrEqualTo((long) whileSlow.getOrDefault("replica-1", 0));
            assertThat(Clusters.status(router, "replica-2").eligible())
                    .as("still eligible: it serves when no other replica can").isTrue();

            proxy.latency(Duration.ZERO);
            Clusters.await(router, WAIT, "reads reach replica-2 again",
                    () -> servedBy(db, 10).containsKey("replica-2"));
            long counted = router.routingCounts().get("slow_replica");
            Map<String, Integer> after = servedBy(db, 100);
            assertThat(after).containsOnlyKeys("replica-1", "replica-2");
            assertThat(router.routingCounts().get("slow_replica")).as("no read skips it any more")
                    .isEqualTo(counted);
        } finally {
            proxy.latency(Duration.ZERO);
        }
    }

    /** How many of {@code reads} eventual reads each node served (the first node of each report). */
    private static Map<String, Integer> servedBy(Database db, int reads) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < reads; i++) {
            Reported<Object> r = db.readReported(ctx -> ctx.fetch("select 1"));
            counts.merge(r.report().nodes().get(0).name(), 1, Integer::sum);
        }
        return counts;
    }
}
