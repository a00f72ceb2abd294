package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.JunctionException;
import dev.junction.spi.Lease;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Callers waiting on a node's exhausted pool give up when the monitor finds the node down (issue 25): the borrow goes
 * straight to HikariCP, and the monitor's down verdict interrupts the registered waiters instead of each borrow
 * polling a future on a thread of its own.
 */
@WithEmbeddedCluster(replicas = 0)
class PoolWaitDownVerdictIT {
    /** Far beyond the monitor's detection (about monitorTimeout): a wait ended before it was ended by the verdict. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    private static final int WAITERS = 3;

    private record Outcome(long nanos, @Nullable Throwable error, boolean interruptLeft) {
    }

    @Test
    void callersWaitingOnTheExhaustedPoolOfABlackholedPrimaryFailWithTheDownVerdictAndNoInterruptLeft(
            EmbeddedPostgresCluster cluster) throws Exception {
        TcpProxy proxy = cluster.primary().proxy();
        RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", cluster.primary().proxiedJdbcUrl()))
                .primaryPool(PoolSettings.builder().maximumPoolSize(1).minimumIdle(1)
                        .connectionTimeout(CONNECTION_TIMEOUT).build())
                .bulkhead(BulkheadSettings.builder().maxWaiting(WAITERS).build())
                .monitorInterval(Duration.ofMillis(100))
                .monitorTimeout(Duration.ofSeconds(1))
                .build();
        try (ClusterRouter router = ClusterRouter.create(config)) {
            Lease held = router.acquire(RouteRequest.write());
            List<CompletableFuture<Outcome>> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < WAITERS; i++) {
                    CompletableFuture<Outcome> f = new CompletableFuture<>();
                    Thread.ofVirtual().start(() -> f.complete(borrow(router)));
                    waiters.add(f);
                }
                Clusters.await(router, Duration.ofSeconds(30), WAITERS + " callers wait on the primary's pool",
                        () -> Clusters.status(router, "primary").poolWaiting() == WAITERS);
                long blackholed = System.nanoTime();
                proxy.blackhole();
                List<Outcome> outcomes = new ArrayList<>();
                for (CompletableFuture<Outcome> f : waiters) {
                    // Bounded by the configured timeout only, so a broken verdict fails here instead of hanging.
                    outcomes.add(f.get(2 * CONNECTION_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                }
                long maxWait = System.nanoTime() - blackholed;
                System.out.printf("pool waiters: %d ended %d ms after the blackhole"
                        + " (connectionTimeout %d ms)%n", WAITERS, TimeUnit.NANOSECONDS.toMillis(maxWait),
                        CONNECTION_TIMEOUT.toMillis());
                assertThat(outcomes).allSatisfy(o -> {
                    assertThat(o.error()).as("the borrow failed").isInstanceOf(JunctionException.class);
                    assertThat(causes(o.error())).as("failed because the monitor found the node down")
                            .anyMatch(m -> m.contains("the monitor found node 'primary' down while this call waited"));
                    // No time bound: the cause above is the verdict's, and a wait that ran to connectionTimeout ends
                    // with HikariCP's timeout instead.
                    assertThat(o.interruptLeft()).as("no interrupt left on the caller's thread").isFalse();
                });
            } finally {
                proxy.restore();
                held.release(null);
            }
        } finally {
            proxy.restore();
        }
    }

    private static Outcome borrow(ClusterRouter router) {
        long start = System.nanoTime();
        try {
            router.acquire(RouteRequest.write()).release(null);
            return new Outcome(System.nanoTime() - start, null, Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            return new Outcome(System.nanoTime() - start, e, Thread.currentThread().isInterrupted());
        }
    }

    private static List<String> causes(@Nullable Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
