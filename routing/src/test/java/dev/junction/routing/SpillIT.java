package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.PoolSaturatedException;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Load-aware spill with a cap: reads go to the primary when the replicas are busy, but never more than
 * {@code resilience.spill.primaryShare} of its pool, and fallback reads are held to the same share, so writes keep
 * their connections (issue 23).
 */
@WithEmbeddedCluster(replicas = 1)
class SpillIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REPLICA_POOL = 2;
    private static final int PRIMARY_POOL = 4;
    /** Half of the primary pool: 2 connections. */
    private static final SpillSettings HALF = SpillSettings.builder().primaryShare(0.5).build();
    private static final int CAP = 2;

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table spilled (id bigserial primary key)");
        cluster.primary().execute("grant all on spilled, spilled_id_seq to " + cluster.user());
        cluster.awaitReplication(WAIT);
    }

    @AfterEach
    void restoreNodes(EmbeddedPostgresCluster cluster) {
        for (PgNode node : cluster.nodes()) {
            if (!node.isRunning()) {
                node.start();
            }
        }
        cluster.awaitReplication(WAIT);
    }

    private static RoutingConfig.Builder config(EmbeddedPostgresCluster cluster) {
        // connectionTimeout 250ms: a caller that queued for a busy pool gives up long before a 1s query ends.
        return Clusters.config(cluster)
                .replicaPool(PoolSettings.builder().maximumPoolSize(REPLICA_POOL).minimumIdle(REPLICA_POOL)
                        .connectionTimeout(Duration.ofMillis(250)).build())
                .primaryPool(PoolSettings.builder().maximumPoolSize(PRIMARY_POOL).minimumIdle(PRIMARY_POOL)
                        .connectionTimeout(Duration.ofMillis(250)).build())
                .bulkhead(BulkheadSettings.builder().maxWaiting(0).build())
                .spill(HALF);
    }

    @Test
    void readsSpillToAnIdlePrimaryWhileTheReplicaIsSaturatedUpToTheCapAndNoFurther(EmbeddedPostgresCluster cluster)
            throws Exception {
        try (ClusterRouter router = ClusterRouter.create(config(cluster).build());
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, WAIT, "both pools are filled", () -> Clusters.status(router, "replica-1")
                    .poolIdle() == REPLICA_POOL && Clusters.status(router, "primary").poolIdle() == PRIMARY_POOL);
            int callers = REPLICA_POOL + CAP + 2;
            Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
            List<String> reasons = new CopyOnWriteArrayList<>();
            List<PoolSaturatedException> shed = new CopyOnWriteArrayList<>();
            List<Throwable> other = new CopyOnWriteArrayList<>();
            runAtOnce(callers, () -> {
                try {
                    Reported<Object> r = db.readReported(ctx -> ctx.fetch("select pg_sleep(1)"));
                    served.computeIfAbsent(r.report().nodes().get(0).name(), n -> new AtomicInteger())
                            .incrementAndGet();
                    reasons.addAll(r.report().routeReasons());
                } catch (PoolSaturatedException e) {
                    shed.add(e);
                } catch (RuntimeException e) {
                    other.add(e);
                }
            });

            assertThat(other).isEmpty();
            // The replica's two connections, then the primary up to its share; the rest is shed, not spilled.
            assertThat(served.get("replica-1")).hasValue(REPLICA_POOL);
            assertThat(served.get("primary")).hasValue(CAP);
            assertThat(shed).hasSize(callers - REPLICA_POOL - CAP);
            assertThat(reasons).filteredOn("spill_primary"::equals).hasSize(CAP);
            assertThat(router.routingCounts()).containsEntry("spill_primary", (long) CAP)
                    .containsEntry("saturated", (long) shed.size()).doesNotContainKey("fallback");
        }
    }

    @Test
    void withEveryReplicaDownFallbackReadsTakeAtMostTheCapAndWritesMeanwhileGetAConnectionAtOnce(
            EmbeddedPostgresCluster cluster) throws Exception {
        try (ClusterRouter router = ClusterRouter.create(config(cluster).build());
             Database db = Junction.builder().router(router).build()) {
            Clusters.await(router, WAIT, "the primary pool is filled",
                    () -> Clusters.status(router, "primary").poolIdle() == PRIMARY_POOL);
            cluster.replicas().get(0).stop();
            Clusters.await(router, WAIT, "the replica is seen down", () -> !Clusters.status(router, "replica-1").up());

            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicInteger mostOutstanding = new AtomicInteger();
            AtomicInteger mostWaiting = new AtomicInteger();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    NodeStatus p = Clusters.status(router, "primary");
                    mostOutstanding.accumulateAndGet(p.outstanding(), Math::max);
                    mostWaiting.accumulateAndGet(p.poolWaiting(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            int readers = PRIMARY_POOL + 2;
            AtomicInteger fellBack = new AtomicInteger();
            List<PoolSaturatedException> refused = new CopyOnWriteArrayList<>();
            List<Throwable> other = new CopyOnWriteArrayList<>();
            List<Long> written = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(readers);
            try {
                List<Future<?>> reads = new ArrayList<>();
                for (int i = 0; i < readers; i++) {
                    reads.add(pool.submit(() -> {
                        try {
                            Reported<Object> r = db.readReported(ctx -> ctx.fetch("select pg_sleep(1)"));
                            assertThat(r.report().routeReasons()).containsExactly("fallback");
                            fellBack.incrementAndGet();
                        } catch (PoolSaturatedException e) {
                            refused.add(e);
                        } catch (RuntimeException e) {
                            other.add(e);
                        }
                    }));
                }
                // The share is taken and further readers wait for a place: now write.
                Clusters.await(router, Duration.ofSeconds(10), "fallback reads hold the share and others wait for it",
                        () -> router.routingCounts().getOrDefault("fallback", 0L) == CAP
                                && router.routingCounts().getOrDefault("fallback_capped", 0L) > 0);
                for (int i = 0; i < 3; i++) {
                    written.add(db.write(ctx -> ctx.fetchSingle("insert into spilled default values returning id")
                            .get(0, Long.class)).value());
                }
                for (Future<?> read : reads) {
                    read.get();
                }
            } finally {
                pool.shutdownNow();
                sampling.set(false);
                sampler.join();
            }

            assertThat(other).isEmpty();
            assertThat(written).hasSize(3).doesNotContainNull();
            assertThat(fellBack.get()).isEqualTo(CAP);
            assertThat(refused).hasSize(readers - CAP);
            assertThat(refused.get(0)).hasMessageContaining("pool 'junction-primary' saturated for fallback reads")
                    .hasMessageContaining("the " + CAP + " of " + PRIMARY_POOL + " primary connections that reads"
                            + " may take (resilience.spill.primaryShare 0.5)")
                    .hasMessageContaining("raise resilience.spill.primaryShare");
            assertThat(router.routingCounts()).containsEntry("fallback", (long) CAP)
                    .containsEntry("fallback_capped", (long) (readers - CAP))
                    .containsEntry("saturated", (long) (readers - CAP));
            // Never more than the share of reads plus the one write at a time; nobody queued in the primary pool.
            assertThat(mostOutstanding.get()).isLessThanOrEqualTo(CAP + 1);
            assertThat(mostWaiting.get()).isZero();
        }
    }

    private static void runAtOnce(int callers, Runnable call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    call.run();
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
