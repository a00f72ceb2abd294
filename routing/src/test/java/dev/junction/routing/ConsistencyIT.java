package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencySession;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.InvalidConsistencyTokenException;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read-your-writes with WAL-position tokens, also across app instances (issue 4). */
@WithEmbeddedCluster(replicas = 2)
class ConsistencyIT {
    private static final AtomicLong IDS = new AtomicLong();

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table profile (id bigint primary key, name text not null)");
        cluster.primary().execute("grant all on profile to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    @AfterEach
    void replayRuns(EmbeddedPostgresCluster cluster) {
        cluster.replicas().forEach(PgNode::resumeReplay);
        cluster.awaitReplication(Duration.ofSeconds(60));
    }

    /** Paused replicas stay eligible (no lag limit in practice) and reads never fall back on their own. */
    private static RoutingConfig.Builder config(EmbeddedPostgresCluster cluster, Duration maxWait) {
        return Clusters.config(cluster)
                .maxReplicaLag(Duration.ofHours(1))
                .fallback(FallbackPolicy.FAIL)
                .primaryPool(PoolSettings.builder().maximumPoolSize(8).minimumIdle(0).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(8).minimumIdle(0).build())
                .consistency(ConsistencySettings.builder().maxWait(maxWait).build());
    }

    private static Commit<Long> insert(Database db, String name) {
        long id = IDS.incrementAndGet();
        return db.write(tx -> {
            tx.execute("insert into profile (id, name) values (?, ?)", id, name);
            return id;
        });
    }

    private static String nameOf(DSLContext ctx, long id) {
        return ctx.fetchOptional("select name from profile where id = ?", id).map(r -> r.get(0, String.class))
                .orElse(null);
    }

    @Test
    void withReplayPausedEveryTokenReadSeesItsWriteWhileEventualReadsDoNot(EmbeddedPostgresCluster cluster)
            throws Exception {
        try (ClusterRouter router = ClusterRouter.create(config(cluster, Duration.ofMillis(20)).build());
             Database db = Junction.builder().router(router).build()) {
            cluster.replicas().forEach(PgNode::pauseReplay);

            // The control: without a token the replica serves the read, and it has not replayed the write.
            Commit<Long> control = insert(db, "control");
            Reported<String> eventual = db.readReported(ctx -> nameOf(ctx, control.value()));
            assertThat(eventual.report().nodes().get(0).name()).startsWith("replica-");
            assertThat(eventual.value()).as("an eventual read on a paused replica").isNull();

            int iterations = 1_000;
            AtomicInteger next = new AtomicInteger();
            List<String> wrong = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    workers.add(threads.submit(() -> {
                        while (next.incrementAndGet() <= iterations) {
                            String name = "user-" + next.get();
                            Commit<Long> c = insert(db, name);
                            String seen = db.read(Consistency.after(c.token()), ctx -> nameOf(ctx, c.value()));
                            if (!name.equals(seen)) {
                                wrong.add("wrote " + name + ", read " + seen);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }
            } finally {
                threads.shutdownNow();
            }

            assertThat(wrong).isEmpty();
            TokenReadStats stats = router.tokenReads();
            assertThat(stats.total()).isEqualTo(iterations);
            assertThat(stats.servedByPrimary()).as("no paused replica can serve a fresh token").isEqualTo(iterations);
        }
    }

    @Test
    void withReplayRunningReplicasServeTokenReads(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(config(cluster, Duration.ofMillis(100)).build());
             Database db = Junction.builder().router(router).build()) {
            int iterations = 500;
            for (int i = 0; i < iterations; i++) {
                String name = "running-" + i;
                Commit<Long> c = insert(db, name);
                String seen = db.read(Consistency.after(c.token()), ctx -> nameOf(ctx, c.value()));
                assertThat(seen).isEqualTo(name);
            }
            TokenReadStats stats = router.tokenReads();
            System.out.printf("token reads with replay running: %d reads, %.1f%% by replicas (%d at once, %d after"
                    + " waiting), %d by the primary; %d replay checks, mean added wait %.3f ms%n", stats.total(),
                    100 * stats.replicaShare(), stats.servedAtOnce(), stats.servedAfterWait(),
                    stats.servedByPrimary(), stats.replayChecks(),
                    stats.totalWait().toNanos() / 1e6 / Math.max(1, stats.total()));
            assertThat(stats.total()).isEqualTo(iterations);
            assertThat(stats.servedAtOnce() + stats.servedAfterWait()).isPositive();
        }
    }

    @Test
    void aTokenIssuedByOneInstanceIsHonouredByAnother(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter routerA = ClusterRouter.create(config(cluster, Duration.ofMillis(50)).build());
             Database instanceA = Junction.builder().router(routerA).build();
             ClusterRouter routerB = ClusterRouter.create(config(cluster, Duration.ofMillis(50)).build());
             Database instanceB = Junction.builder().router(routerB).build()) {
            cluster.replicas().forEach(PgNode::pauseReplay);
            Commit<Long> c = insert(instanceA, "carried");
            String header = ConsistencySession.empty().record(c).encoded().orElseThrow();

            ConsistencySession onB = ConsistencySession.restore(header);
            Reported<String> read = instanceB.readReported(onB.consistency(), ctx -> nameOf(ctx, c.value()));
            assertThat(read.value()).isEqualTo("carried");
            assertThat(read.report().routeReasons()).containsExactly("token_primary");

            cluster.replicas().forEach(PgNode::resumeReplay);
            cluster.awaitReplication(Duration.ofSeconds(30));
            Clusters.await(routerB, Duration.ofSeconds(30), "B's monitor sees the replay", () -> instanceB
                    .readReported(onB.consistency(), ctx -> nameOf(ctx, c.value())).report().routeReasons()
                    .equals(List.of("token_replica")));
            String onReplica = instanceB.read(onB.consistency(), ctx -> nameOf(ctx, c.value()));
            assertThat(onReplica).isEqualTo("carried");
        }
    }

    @Test
    void malformedTruncatedAndForeignTokensNeverGiveAStaleRead(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(config(cluster, Duration.ofMillis(20)).build());
             Database db = Junction.builder().router(router).build()) {
            Commit<Long> c = insert(db, "guarded");
            String good = c.token().encode();

            assertThatThrownBy(() -> ConsistencyToken.parse(good.substring(0, 20)))
                    .isInstanceOf(InvalidConsistencyTokenException.class);
            assertThatThrownBy(() -> ConsistencyToken.parse("not a token!"))
                    .isInstanceOf(InvalidConsistencyTokenException.class);
            char flipped = good.charAt(10) == 'A' ? 'B' : 'A';
            String tampered = good.substring(0, 10) + flipped + good.substring(11);
            for (String bad : List.of(good.substring(0, 20), "not a token!", tampered)) {
                Reported<String> read = db.readReported(Consistency.afterToken(bad), ctx -> nameOf(ctx, c.value()));
                assertThat(read.value()).as(bad).isEqualTo("guarded");
                assertThat(read.report().routeReasons()).as(bad).containsExactly("strong");
            }

            ConsistencyToken foreign = ConsistencyToken.of(c.token().systemIdentifier() + 1, 1, c.token().lsn(),
                    Instant.now());
            Reported<String> read = db.readReported(Consistency.after(foreign), ctx -> nameOf(ctx, c.value()));
            assertThat(c.token().systemIdentifier()).as("the cluster's system identifier is known").isNotZero();
            assertThat(read.value()).isEqualTo("guarded");
            assertThat(read.report().routeReasons()).containsExactly("token_foreign");
        }
    }

    @Test
    void strongReadsGoToThePrimary(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(config(cluster, Duration.ofMillis(20)).build());
             Database db = Junction.builder().router(router).build()) {
            Reported<Boolean> read = db.readReported(Consistency.strong(),
                    ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
            assertThat(read.value()).isFalse();
            assertThat(read.report().routeReasons()).containsExactly("strong");
        }
    }

    @Test
    void timeModeSendsReadsToThePrimaryOnlyWithinTheWindow(EmbeddedPostgresCluster cluster) {
        ConsistencySettings time = ConsistencySettings.builder().mode(ConsistencySettings.Mode.TIME)
                .primaryWindow(Duration.ofMinutes(5)).build();
        try (ClusterRouter router = ClusterRouter.create(config(cluster, Duration.ZERO).consistency(time).build());
             Database db = Junction.builder().router(router).build()) {
            Commit<Long> fresh = insert(db, "fresh");
            ConsistencyToken old = ConsistencyToken.of(fresh.token().systemIdentifier(), fresh.token().timeline(),
                    fresh.token().lsn(), Instant.now().minus(Duration.ofMinutes(10)));

            assertThat(db.readReported(Consistency.after(fresh.token()), ctx -> nameOf(ctx, fresh.value()))
                    .report().routeReasons()).containsExactly("token_primary");
            assertThat(db.readReported(Consistency.after(old), ctx -> ctx.fetch("select 1")).report().routeReasons())
                    .containsExactly("token_replica");
        }
    }
}
