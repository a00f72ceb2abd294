package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.BreakerState;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The per-node circuit breaker as the router sees it: connection-level failures open it, and while it is open and
 * its wait has not passed the node is out of the rotation. The breaker carries no event consumer (they make
 * Resilience4j build an event per call), so the opening time is tracked by the node itself: this checks it is.
 */
@WithEmbeddedCluster(replicas = 0)
class NodeBreakerIT {

    @Test
    void connectionFailuresOpenTheBreakerAndKeepTheNodeOutForTheWait(EmbeddedPostgresCluster cluster)
            throws Exception {
        NodeConfig node = NodeConfig.replica("replica-1", cluster.primary().jdbcUrl());
        RoutingConfig routing = RoutingConfig.builder().credentials(cluster.user(), cluster.password()).node(
                        NodeConfig.primary("primary", cluster.primary().jdbcUrl()))
                .node(node)
                .replicaPool(PoolSettings.builder().maximumPoolSize(2).minimumIdle(0).build())
                .circuitBreaker(CircuitBreakerSettings.builder().minimumCalls(2).slidingWindowSize(2)
                        .failureRateThreshold(100).waitInOpenState(Duration.ofMinutes(5)).build())
                .build();
        NodeRuntime runtime = new NodeRuntime(node, 1, routing);
        try {
            Connection healthy = runtime.borrow();
            runtime.giveBack(healthy, null, 1_000);
            assertThat(runtime.breakerState()).isEqualTo(BreakerState.CLOSED);
            assertThat(runtime.breakerBlocks()).isFalse();

            for (int i = 0; i < 2; i++) {
                Connection c = runtime.borrow();
                runtime.giveBack(c, new SQLException("connection reset", "08006"), 1_000);
            }

            assertThat(runtime.breakerState()).isEqualTo(BreakerState.OPEN);
            assertThat(runtime.breakerBlocks()).as("open, and its five-minute wait has only just begun").isTrue();
            assertThat(runtime.breakerDescription()).contains("circuit breaker OPEN (100% of the last 2 calls failed");
        } finally {
            runtime.close();
        }
    }
}
