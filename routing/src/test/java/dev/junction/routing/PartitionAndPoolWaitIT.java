package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.PoolSaturatedException;
import dev.junction.spi.Lease;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two faults the chaos suite (samples, {@code ChaosIT}) first showed, pinned down on their own (issue 9): a
 * partitioned replica must not blind the monitor for pgJDBC's 10 s cancel timeout, and callers timing out on a busy
 * pool must not open a healthy node's breaker (which sent the reads of saturated replicas to the primary).
 */
@WithEmbeddedCluster(replicas = 1)
class PartitionAndPoolWaitIT {

    @Test
    void aBlackholedReplicaIsMarkedDownWithinTheMonitorTimeoutsNotPgjdbcsCancelTimeout(
            EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(0);
        TcpProxy proxy = replica.proxy();
        RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica("replica-1", replica.proxiedJdbcUrl()))
                .monitorInterval(Duration.ofMillis(100))
                .monitorTimeout(Duration.ofSeconds(1))
                .build();
        try (ClusterRouter router = ClusterRouter.create(config)) {
            Clusters.await(router, Duration.ofSeconds(30), "replica-1 is polled through the proxy",
                    () -> Clusters.status(router, "replica-1").eligible());
            proxy.blackhole();
            // The probe's statement times out after monitor.timeout and its cancel request gets as long again;
            // with pgJDBC's default cancelSignalTimeout the check only returned after 11 s.
            Clusters.await(router, Duration.ofSeconds(6), "replica-1 is seen down",
                    () -> !Clusters.status(router, "replica-1").up());
            assertThat(Clusters.status(router, "replica-1").lastError()).contains("08006");
            proxy.restore();
        } finally {
            proxy.restore();
        }
    }

    @Test
    void callersTimingOutOnABusyPoolLeaveTheBreakerClosedAndNothingFallsBackToThePrimary(
            EmbeddedPostgresCluster cluster) {
        PoolSettings one = PoolSettings.builder().maximumPoolSize(1).minimumIdle(1)
                .connectionTimeout(Duration.ofMillis(250)).build();
        // Spill off: the timed-out waits on the replica are the subject here, not the primary's read share (SpillIT).
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).replicaPool(one)
                .bulkhead(BulkheadSettings.builder().maxWaiting(1).build())
                .spill(SpillSettings.builder().enabled(false).build()).build());
             Database db = Junction.builder().router(router).build()) {
            Lease busy = router.acquire(RouteRequest.read());
            try {
                assertThat(busy.node().name()).isEqualTo("replica-1");
                // More timed-out waits than the breaker needs to decide (minimumCalls 5, threshold 50%).
                for (int i = 0; i < 8; i++) {
                    assertThatThrownBy(() -> db.read(ctx -> ctx.fetch("select 1")))
                            .isInstanceOf(PoolSaturatedException.class)
                            .hasMessageContaining("no connection came free within connectionTimeout");
                }
                assertThat(Clusters.status(router, "replica-1").breaker()).isEqualTo(BreakerState.CLOSED);
                assertThat(router.routingCounts()).containsEntry("saturated", 8L).doesNotContainKey("fallback");
            } finally {
                busy.release(null);
            }
            assertThat(db.readReported(ctx -> ctx.fetch("select 1")).report().nodes().get(0).name())
                    .isEqualTo("replica-1");
        }
    }
}
