package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.PoolSaturatedException;
import dev.junction.metrics.MeterNames;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Twelve times more callers than connections, each query holding its connection 200 ms, and room for all of them to
 * wait: with the fixed bulkhead they queue into {@code connectionTimeout}; with {@code resilience.bulkhead.adaptive}
 * the limit follows the queue down and the excess is turned away at once instead (issue 23).
 */
@WithEmbeddedCluster(replicas = 1)
class AdaptiveLimitIT {
    private static final int POOL = 2;
    private static final int WAITING = 30;
    private static final int CALLERS = 24;
    private static final Duration PHASE = Duration.ofSeconds(6);

    record Outcome(long served, long timedOut, long shedAtOnce, double limitAtEnd, double shedMeter) {
    }

    @Test
    void theAdaptiveLimitShedsAtOnceWhatTheFixedBulkheadLetsQueueIntoTimeouts(EmbeddedPostgresCluster cluster)
            throws Exception {
        Outcome fixed = run(cluster, false);
        Outcome adaptive = run(cluster, true);
        System.out.println("AdaptiveLimitIT fixed " + fixed + ", adaptive " + adaptive);

        // The setup works: with every caller allowed to wait, callers queue into connectionTimeout.
        assertThat(fixed.timedOut()).isGreaterThan(0);
        assertThat(fixed.limitAtEnd()).isEqualTo(POOL + WAITING);
        // Adaptive: the limit came down from its ceiling, callers were turned away at once, far fewer timed out.
        assertThat(adaptive.limitAtEnd()).isLessThan(POOL + WAITING);
        assertThat(adaptive.shedAtOnce()).isGreaterThan(0);
        assertThat(adaptive.shedMeter()).isEqualTo((double) adaptive.shedAtOnce());
        assertThat(adaptive.timedOut() * 3).isLessThan(fixed.timedOut());
    }

    private static Outcome run(EmbeddedPostgresCluster cluster, boolean adaptive) throws Exception {
        PoolSettings small = PoolSettings.builder().maximumPoolSize(POOL).minimumIdle(POOL)
                .connectionTimeout(Duration.ofSeconds(1)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).replicaPool(small)
                .primaryPool(small).bulkhead(BulkheadSettings.builder().maxWaiting(WAITING).adaptive(adaptive)
                        .build())
                // The replica alone: no read spills into the primary's share.
                .spill(SpillSettings.builder().enabled(false).build()).build());
             RoutingMetrics metrics = RoutingMetrics.bind(router, registry);
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, Duration.ofSeconds(30), "the replica pool is filled",
                    () -> Clusters.status(router, "replica-1").poolIdle() == POOL);
            LongAdder served = new LongAdder();
            LongAdder timedOut = new LongAdder();
            LongAdder shedAtOnce = new LongAdder();
            List<Throwable> other = new CopyOnWriteArrayList<>();
            long end = System.nanoTime() + PHASE.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    calls.add(pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                db.read(ctx -> ctx.fetch("select pg_sleep(0.2)"));
                                served.increment();
                            } catch (PoolSaturatedException e) {
                                if (e.waited().isZero()) {
                                    shedAtOnce.increment();
                                    TimeUnit.MILLISECONDS.sleep(50); // a client backing off before it retries
                                } else {
                                    timedOut.increment();
                                }
                            } catch (RuntimeException e) {
                                other.add(e);
                                return null;
                            }
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
            double limit = registry.get(MeterNames.POOL_LIMIT).tag(MeterNames.TAG_NODE, "replica-1").gauge().value();
            double sheds = registry.get(MeterNames.POOL_SHEDS).tag(MeterNames.TAG_NODE, "replica-1")
                    .functionCounter().count();
            return new Outcome(served.sum(), timedOut.sum(), shedAtOnce.sum(), limit, sheds);
        }
    }
}
