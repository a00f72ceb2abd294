package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Pair;
import dev.junction.Reported;
import dev.junction.UnitReport;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A parallel group never waits on itself: with one connection free, its second work runs on the connection of the
 * first instead of queueing for a second one behind it (issue 23).
 */
@WithEmbeddedCluster(replicas = 1)
class ParallelGroupSaturationIT {
    private static final int POOL = 2;

    @Test
    void aGroupOfTwoOnAPoolWithOneFreeConnectionRunsBothWorksOnItWithoutWaitingInThePool(
            EmbeddedPostgresCluster cluster) throws Exception {
        // A short connectionTimeout: a work that queued for a second connection behind its sibling (which holds the
        // free one for a second) would time out and fail the group.
        PoolSettings small = PoolSettings.builder().maximumPoolSize(POOL).minimumIdle(POOL)
                .connectionTimeout(Duration.ofMillis(250)).build();
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).replicaPool(small).build());
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, Duration.ofSeconds(30), "the replica pool is filled",
                    () -> Clusters.status(router, "replica-1").poolIdle() == POOL);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.read(ctx -> {
                holding.countDown();
                await(done);
                return null;
            }));
            holding.await();
            assertThat(Clusters.status(router, "replica-1").poolIdle()).isEqualTo(POOL - 1);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger mostWaiting = new AtomicInteger();
            AtomicInteger mostActive = new AtomicInteger();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    NodeStatus s = Clusters.status(router, "replica-1");
                    mostWaiting.accumulateAndGet(s.poolWaiting(), Math::max);
                    mostActive.accumulateAndGet(s.poolActive(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Reported<Pair<Integer, Integer>> pids;
            try {
                pids = db.parallelReported(
                        ctx -> {
                            ctx.fetch("select pg_sleep(1)");
                            return ctx.fetchSingle("select pg_backend_pid()").get(0, Integer.class);
                        },
                        ctx -> ctx.fetchSingle("select pg_backend_pid()").get(0, Integer.class));
            } finally {
                running.set(false);
                sampler.join();
                done.countDown();
                holder.get();
            }

            // Both works ran, one after the other, on the one free connection.
            assertThat(pids.value().first()).isEqualTo(pids.value().second());
            assertThat(pids.report().group()).isEqualTo(new UnitReport.Group(2, 1, 1));
            assertThat(pids.report().group().fullyParallel()).isFalse();
            assertThat(pids.report().connections()).hasSize(2)
                    .allMatch(use -> use.node().name().equals("replica-1"));
            // Nobody queued in the pool, and the group never held more than the one free connection.
            assertThat(mostWaiting.get()).isZero();
            assertThat(mostActive.get()).isLessThanOrEqualTo(POOL);
            assertThat(router.routingCounts()).doesNotContainKey("saturated");

            // With both connections free, each work gets its own.
            Clusters.await(router, Duration.ofSeconds(30), "the pool is idle again",
                    () -> Clusters.status(router, "replica-1").poolIdle() == POOL);
            Reported<Pair<Integer, Integer>> free = db.parallelReported(
                    ctx -> ctx.fetchSingle("select pg_backend_pid() from pg_sleep(0.2)").get(0, Integer.class),
                    ctx -> ctx.fetchSingle("select pg_backend_pid() from pg_sleep(0.2)").get(0, Integer.class));
            assertThat(free.value().first()).isNotEqualTo(free.value().second());
            assertThat(free.report().group()).isEqualTo(new UnitReport.Group(2, 2, 0));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
