package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.NoEligibleReplicaException;
import dev.junction.PrimaryUnavailableException;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nodes going away and coming back while the application runs (issue 3). */
@WithEmbeddedCluster(replicas = 2)
class FailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table events (id bigserial primary key, body text not null)");
        cluster.primary().execute("grant all on events, events_id_seq to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(10));
    }

    /** Every test leaves all nodes running and caught up, whatever it did to them. */
    @AfterEach
    void restoreNodes(EmbeddedPostgresCluster cluster) {
        for (PgNode node : cluster.nodes()) {
            if (!node.isRunning()) {
                node.start();
            }
        }
        cluster.awaitReplication(WAIT);
    }

    private static RoutingConfig.Builder resilientConfig(EmbeddedPostgresCluster cluster) {
        return Clusters.config(cluster)
                .replicaPool(PoolSettings.builder().maximumPoolSize(8).minimumIdle(0)
                        .connectionTimeout(Duration.ofSeconds(2)).build())
                .bulkhead(BulkheadSettings.builder().maxWaiting(64).build())
                .circuitBreaker(CircuitBreakerSettings.builder().waitInOpenState(Duration.ofMillis(500)).build());
    }

    @Test
    void aReplicaKilledDuringTwoThousandReadsCostsNoReadAndIsUsedAgainAfterRestart(EmbeddedPostgresCluster cluster)
            throws Exception {
        // FAIL keeps the primary out of it: every read below was served by a replica.
        try (ClusterRouter router = ClusterRouter.create(resilientConfig(cluster)
                .fallback(FallbackPolicy.FAIL).build());
             Database db = Junction.builder().router(router).build()) {
            PgNode victim = cluster.node("replica-1");
            int threads = 32;
            int total = 2_000;
            AtomicInteger issued = new AtomicInteger();
            LongAdder succeeded = new LongAdder();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Map<String, LongAdder> afterKill = new ConcurrentHashMap<>();
            AtomicBoolean killed = new AtomicBoolean();
            AtomicBoolean breakerSeenOpen = new AtomicBoolean();
            CountDownLatch quarter = new CountDownLatch(total / 4);

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> workers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        while (issued.incrementAndGet() <= total) {
                            boolean startedAfterKill = killed.get();
                            try {
                                Reported<Integer> r = db.readReported(
                                        ctx -> ctx.fetchSingle("select 1 from pg_sleep(0.02)").get(0, Integer.class));
                                succeeded.increment();
                                if (startedAfterKill) {
                                    afterKill.computeIfAbsent(r.report().nodes().get(r.report().nodes().size() - 1)
                                            .name(), k -> new LongAdder()).increment();
                                }
                            } catch (RuntimeException e) {
                                failures.add(e);
                            }
                            quarter.countDown();
                        }
                    }));
                }
                assertThat(quarter.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                victim.kill();
                killed.set(true);
                while (workers.stream().anyMatch(f -> !f.isDone())) {
                    if (Clusters.status(router, "replica-1").breaker() == BreakerState.OPEN) {
                        breakerSeenOpen.set(true);
                    }
                    Thread.sleep(5);
                }
                for (Future<?> w : workers) {
                    w.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(failures).as("failed reads").isEmpty();
            assertThat(succeeded.sum()).isEqualTo(total);
            assertThat(breakerSeenOpen).as("replica-1's breaker opened").isTrue();
            // A read that started after the kill finished on replica-2 (retried there if it met the dead node).
            assertThat(afterKill).containsOnlyKeys("replica-2");

            victim.start();
            cluster.awaitReplication(WAIT);
            Clusters.awaitOr(WAIT, "reads reach replica-1 again", () -> db.readReported(ctx -> ctx.fetch("select 1"))
                    .report().nodes().get(0).name().equals("replica-1"), () -> router.topology().snapshot().toString());
            Clusters.await(router, WAIT, "replica-1's breaker closes",
                    () -> {
                        db.read(ctx -> ctx.fetch("select 1"));
                        return Clusters.status(router, "replica-1").breaker() == BreakerState.CLOSED;
                    });
        }
    }

    @Test
    void withAllReplicasDownReadsFallBackToThePrimaryAndWritesAreUnaffected(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(resilientConfig(cluster).build());
             Database db = Junction.builder().router(router).build()) {
            cluster.replicas().forEach(PgNode::stop);
            Clusters.await(router, WAIT, "both replicas are seen down",
                    () -> !Clusters.status(router, "replica-1").up() && !Clusters.status(router, "replica-2").up());

            Reported<Boolean> read = db.readReported(
                    ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
            db.write(ctx -> ctx.execute("insert into events (body) values ('while replicas were down')"));

            assertThat(read.value()).isFalse();
            assertThat(read.report().nodes()).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo("primary"));
            assertThat(read.report().routeReasons()).containsExactly("fallback");
            assertThat(router.routingCounts()).containsEntry("fallback", 1L);
            assertThat(cluster.primary().queryValue("select count(*) from events where body = 'while replicas were down'"))
                    .isEqualTo(1L);
        }
    }

    @Test
    void withAllReplicasDownAndFallbackFailReadsFailNamingEveryReplica(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(resilientConfig(cluster).fallback(FallbackPolicy.FAIL)
                .build());
             Database db = Junction.builder().router(router).build()) {
            cluster.replicas().forEach(PgNode::stop);
            Clusters.await(router, WAIT, "both replicas are seen down",
                    () -> !Clusters.status(router, "replica-1").up() && !Clusters.status(router, "replica-2").up());

            assertThatThrownBy(() -> db.read(ctx -> ctx.fetch("select 1")))
                    .isInstanceOf(NoEligibleReplicaException.class)
                    .hasMessageContaining("replica 'replica-1': down")
                    .hasMessageContaining("replica 'replica-2': down")
                    .hasMessageContaining("fallback is FAIL");
            db.write(ctx -> ctx.execute("insert into events (body) values ('fail policy')"));
            assertThat(router.routingCounts()).containsEntry("no_eligible_replica", 1L).containsEntry("primary", 1L);
        }
    }

    @Test
    void withThePrimaryDownWritesFailFastAndReadsKeepWorkingOnReplicas(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(resilientConfig(cluster).build());
             Database db = Junction.builder().router(router).build()) {
            cluster.primary().stop();
            Clusters.await(router, WAIT, "the primary is seen down", () -> !Clusters.status(router, "primary").up());

            assertThatThrownBy(() -> db.write(ctx -> ctx.execute("insert into events (body) values ('lost?')")))
                    .isInstanceOf(PrimaryUnavailableException.class)
                    .hasMessageContaining("primary 'primary' is down")
                    .hasMessageContaining("the write was not applied");
            // Refused by the router from the monitor's observation, before any pool wait.
            assertThat(router.routingCounts()).containsEntry("primary_unavailable", 1L)
                    .doesNotContainKey("saturated");
            for (int i = 0; i < 20; i++) {
                Reported<Boolean> read = db.readReported(
                        ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
                assertThat(read.value()).isTrue();
            }

            cluster.primary().start();
            Clusters.await(router, WAIT, "the primary is seen up", () -> Clusters.status(router, "primary").eligible());
            db.write(ctx -> ctx.execute("insert into events (body) values ('after restart')"));
            assertThat(cluster.primary().queryValue("select count(*) from events where body = 'lost?'")).isEqualTo(0L);
        }
    }
}
