package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.PoolSaturatedException;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Four times more callers than connections: the bulkhead sheds the excess at once and nothing leaks (issue 3). */
@WithEmbeddedCluster(replicas = 1)
class SaturationIT {
    private static final int POOL = 2;
    private static final int WAITING = 2;
    private static final int CALLERS = 4 * POOL;

    @Test
    void callersBeyondTheBulkheadFailFastAndNoConnectionLeaks(EmbeddedPostgresCluster cluster) throws Exception {
        PoolSettings small = PoolSettings.builder().maximumPoolSize(POOL).minimumIdle(POOL)
                .connectionTimeout(Duration.ofSeconds(30)).build();
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).replicaPool(small)
                .primaryPool(small).bulkhead(BulkheadSettings.builder().maxWaiting(WAITING).build())
                // The bulkhead alone: no read spills into the primary's share (SpillIT covers that).
                .spill(SpillSettings.builder().enabled(false).build()).build());
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, Duration.ofSeconds(30), "the replica pool is filled",
                    () -> Clusters.status(router, "replica-1").poolIdle() == POOL);
            List<PoolSaturatedException> shed = new CopyOnWriteArrayList<>();
            List<Throwable> other = new CopyOnWriteArrayList<>();
            AtomicLong firstQueryDone = new AtomicLong(Long.MAX_VALUE);
            List<Long> shedAt = new CopyOnWriteArrayList<>();
            CyclicBarrier start = new CyclicBarrier(CALLERS);
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    calls.add(pool.submit(() -> {
                        start.await();
                        try {
                            db.read(ctx -> ctx.fetch("select pg_sleep(1)"));
                            firstQueryDone.accumulateAndGet(System.nanoTime(), Math::min);
                        } catch (PoolSaturatedException e) {
                            shedAt.add(System.nanoTime());
                            shed.add(e);
                        } catch (RuntimeException e) {
                            other.add(e);
                        }
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(other).isEmpty();
            // POOL run, WAITING wait for them; the rest are turned away.
            assertThat(shed).hasSizeGreaterThanOrEqualTo(CALLERS - POOL - WAITING);
            // Turned away without waiting for a connection: before any slow query had finished.
            assertThat(shedAt).allMatch(t -> t < firstQueryDone.get());
            assertThat(shed.get(0)).hasMessageContaining("pool 'junction-replica-1' saturated")
                    .hasMessageContaining("all " + POOL + " connections busy")
                    .hasMessageContaining("the bulkhead's " + WAITING + " waiting places taken")
                    .hasMessageContaining("turned away at once")
                    .hasMessageContaining("raise resilience.bulkhead.maxWaiting or maximumPoolSize");
            assertThat(router.routingCounts().get("saturated")).isEqualTo((long) shed.size());

            Clusters.await(router, Duration.ofSeconds(30), "every pool is back to idle", () -> router.topology()
                    .snapshot().stream().allMatch(s -> s.poolActive() == 0 && s.outstanding() == 0
                            && s.poolWaiting() == 0));
            NodeStatus replica = Clusters.status(router, "replica-1");
            assertThat(replica.poolTotal()).isEqualTo(POOL);
            assertThat(replica.poolIdle()).isEqualTo(POOL);
            assertThat(cluster.replicas().get(0).queryValue(
                    "select count(*) from pg_stat_activity where application_name = 'junction' and state = 'active'"))
                    .isEqualTo(0L);
        }
    }
}
