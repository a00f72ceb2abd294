package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.spi.NetworkHints;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A unit of work's jOOQ configuration carries the round-trip time the router measures to the lease's node (the
 * median of the monitor's checks), which the graph fetch's automatic strategy reads through {@link NetworkHints}: a
 * replica behind the testkit proxy with 10 ms each way shows at least the 20 ms the proxy adds to every round trip.
 */
@WithEmbeddedCluster(replicas = 1)
class NetworkHintsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long PROXY_ROUND_TRIP_NANOS = Duration.ofMillis(20).toNanos();

    @Test
    void aReadsConfigurationCarriesTheMeasuredRoundTripOfItsNode(EmbeddedPostgresCluster cluster) {
        TcpProxy proxy = cluster.node("replica-1").proxy();
        proxy.restore();
        proxy.latency(Duration.ofMillis(10));
        RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica("replica-1", cluster.node("replica-1").proxiedJdbcUrl()))
                .monitorInterval(Duration.ofMillis(100))
                .build();
        try (ClusterRouter router = ClusterRouter.create(config);
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, WAIT, "a round trip measured to replica-1",
                    () -> db.read(ctx -> NetworkHints.roundTripNanos(ctx.configuration())) >= 0);
            long onReplica = db.read(ctx -> NetworkHints.roundTripNanos(ctx.configuration()));
            assertThat(onReplica).as("nanoseconds per round trip to the replica behind 10 ms each way")
                    .isGreaterThanOrEqualTo(PROXY_ROUND_TRIP_NANOS);
            long onPrimary = db.write(tx -> NetworkHints.roundTripNanos(tx.configuration())).value();
            assertThat(onPrimary).as("the primary's, measured by its own checks").isNotNegative();
        } finally {
            proxy.latency(Duration.ZERO);
        }
    }
}
