package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.NoEligibleReplicaException;
import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.Pair;
import dev.junction.PoolSaturatedException;
import dev.junction.Reported;
import dev.junction.routing.internal.Lsn;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.RouteRequest;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Why each replica was refused, as data on {@link NoEligibleReplicaException#refusals()}, for every exclusion the
 * router makes on a real cluster; a saturated pool's facts on {@link PoolSaturatedException}; and the pinned replica
 * keeping a unit's reads (issues 17, 24).
 */
@WithEmbeddedCluster(replicas = 2)
class NoEligibleReplicaIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table ticks (id bigserial primary key)");
        cluster.primary().execute("grant all on ticks, ticks_id_seq to " + cluster.user());
        cluster.awaitReplication(WAIT);
    }

    /** Every test leaves all nodes running, replaying and caught up, whatever it did to them. */
    @AfterEach
    void restoreNodes(EmbeddedPostgresCluster cluster) {
        for (PgNode node : cluster.nodes()) {
            if (!node.isRunning()) {
                node.start();
            }
        }
        cluster.replicas().forEach(PgNode::resumeReplay);
        cluster.awaitReplication(WAIT);
    }

    private static NoEligibleReplicaException refusedRead(ClusterRouter router, RouteRequest request) {
        NoEligibleReplicaException e = catchThrowableOfType(NoEligibleReplicaException.class,
                () -> router.acquire(request).release(null));
        assertThat(e).as("the read was refused").isNotNull();
        // The message lists what the data says, in the same words.
        for (Refusal r : e.refusals()) {
            if (e.getMessage().startsWith("no replica can serve the read")) {
                assertThat(e.getMessage()).contains("; replica '" + r.node() + "': " + r.detail());
            }
        }
        return e;
    }

    private static boolean replayed(ClusterRouter router, String node, ConsistencyToken token) {
        String seen = Clusters.status(router, node).lastLsn();
        return seen != null && Long.compareUnsigned(Lsn.parse(seen), token.lsn()) >= 0;
    }

    private static RouteRequest read() {
        return RouteRequest.read();
    }

    @Test
    void aStoppedReplicaIsRefusedAsDownAndBackUpAsBreakerOpenUntilItsWaitPasses(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).fallback(FallbackPolicy.FAIL)
                .circuitBreaker(CircuitBreakerSettings.builder().waitInOpenState(Duration.ofMinutes(10)).build())
                .build())) {
            cluster.replicas().forEach(PgNode::stop);
            Clusters.await(router, WAIT, "both replicas are seen down",
                    () -> !Clusters.status(router, "replica-1").up() && !Clusters.status(router, "replica-2").up());

            NoEligibleReplicaException down = refusedRead(router, read());
            assertThat(down.refusals()).extracting(Refusal::node, Refusal::reason)
                    .containsExactly(tuple("replica-1", Reason.DOWN), tuple("replica-2", Reason.DOWN));
            assertThat(down.refusals()).allSatisfy(r -> assertThat(r.detail()).startsWith("down ("));

            cluster.replicas().forEach(PgNode::start);
            Clusters.await(router, WAIT, "both replicas are seen up",
                    () -> Clusters.status(router, "replica-1").up() && Clusters.status(router, "replica-2").up());

            NoEligibleReplicaException open = refusedRead(router, read());
            assertThat(open.refusals()).extracting(Refusal::node, Refusal::reason)
                    .containsExactly(tuple("replica-1", Reason.BREAKER_OPEN), tuple("replica-2", Reason.BREAKER_OPEN));
            assertThat(open.refusals()).allSatisfy(r -> assertThat(r.detail()).startsWith("circuit breaker OPEN"));
        }
    }

    @Test
    void replicasBeyondTheLagLimitAreRefusedAsLagging(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).fallback(FallbackPolicy.FAIL)
                .maxReplicaLag(Duration.ofMillis(300)).build())) {
            cluster.replicas().forEach(PgNode::pauseReplay);
            Clusters.await(router, WAIT, "both replicas are excluded for lag", () -> {
                cluster.primary().execute("insert into ticks default values");
                return Clusters.status(router, "replica-1").lagExcluded()
                        && Clusters.status(router, "replica-2").lagExcluded();
            });

            NoEligibleReplicaException e = refusedRead(router, read());
            assertThat(e.refusals()).extracting(Refusal::node, Refusal::reason)
                    .containsExactly(tuple("replica-1", Reason.LAGGING), tuple("replica-2", Reason.LAGGING));
            assertThat(e.refusals()).allSatisfy(r -> assertThat(r.detail()).startsWith("lagging ")
                    .contains("maxReplicaLag 300ms"));
        }
    }

    @Test
    void withDiscoveredRolesThePrimaryIsRefusedForReadsAsWrongRoleAndExcludedReplicasAsExcluded(
            EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(RoleDiscoveryIT.discovered(cluster)
                .fallback(FallbackPolicy.FAIL).build())) {
            NoEligibleReplicaException e = refusedRead(router,
                    new RouteRequest(Intent.READ, Set.of("replica-1", "replica-2"), null));

            assertThat(e.refusals()).extracting(Refusal::node, Refusal::reason).containsExactly(
                    tuple("primary", Reason.WRONG_ROLE), tuple("replica-1", Reason.EXCLUDED),
                    tuple("replica-2", Reason.EXCLUDED));
            assertThat(e.getMessage()).contains("replica 'primary': not in recovery (pg_is_in_recovery() = false)");
        }
    }

    @Test
    void replicasThatHaveNotReplayedATokenAreRefusedAsBehindTheToken(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).fallback(FallbackPolicy.FAIL)
                .maxReplicaLag(Duration.ofHours(1))
                .consistency(ConsistencySettings.builder().maxWait(Duration.ofMillis(20)).build()).build());
             Database db = Junction.builder().router(router).build()) {
            cluster.replicas().forEach(PgNode::pauseReplay);
            Commit<Integer> write = db.write(ctx -> ctx.execute("insert into ticks default values"));
            // The primary is excluded (as on a retry after it failed), so only a replica could serve the read.
            RouteRequest afterToken = new RouteRequest(Intent.READ, Set.of("primary"), null,
                    Consistency.after(write.token()));

            NoEligibleReplicaException e = refusedRead(router, afterToken);

            assertThat(e.getMessage()).startsWith("no node can serve this read at the consistency it asks for: no"
                    + " replica on the token's timeline");
            assertThat(e.refusals()).extracting(Refusal::node, Refusal::reason).containsExactlyInAnyOrder(
                    tuple("replica-1", Reason.BEHIND_TOKEN), tuple("replica-2", Reason.BEHIND_TOKEN));
            // Each behind replica was checked on its connection, one after the other within the one maxWait (issue
            // 25: the furthest first, the next with what is left, at least one look), unless its recent replay
            // times said waiting could not help.
            String waitedFor = "had not replayed the token's position " + write.token().lsnText() + " on timeline "
                    + write.token().timeline() + " within consistency.maxWait 20ms";
            assertThat(e.refusals()).extracting(Refusal::detail).anySatisfy(d -> assertThat(d).isEqualTo(waitedFor))
                    .allSatisfy(d -> assertThat(d).satisfiesAnyOf(w -> assertThat(w).isEqualTo(waitedFor),
                            w -> assertThat(w).endsWith("of consistency.maxWait 20ms: not waited for")));

            NoEligibleReplicaException strong = refusedRead(router,
                    new RouteRequest(Intent.READ, Set.of("primary"), null, Consistency.strong()));
            assertThat(strong.refusals()).extracting(Refusal::node, Refusal::reason).containsExactly(
                    tuple("replica-1", Reason.PRIMARY_ONLY), tuple("replica-2", Reason.PRIMARY_ONLY));
        }
    }

    private static PoolSaturatedException saturatedWrite(EmbeddedPostgresCluster cluster, int maxWaiting) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster)
                .primaryPool(PoolSettings.builder().maximumPoolSize(1).minimumIdle(0)
                        .connectionTimeout(Duration.ofMillis(300)).build())
                .bulkhead(BulkheadSettings.builder().maxWaiting(maxWaiting).build()).build())) {
            Lease held = router.acquire(RouteRequest.write());
            try {
                PoolSaturatedException e = catchThrowableOfType(PoolSaturatedException.class,
                        () -> router.acquire(RouteRequest.write()).release(null));
                assertThat(e).as("the second write was refused").isNotNull();
                return e;
            } finally {
                held.release(null);
            }
        }
    }

    @Test
    void aSaturatedPoolNamesItsNodeSizeWaitingPlacesAndHowLongTheCallerWaited(EmbeddedPostgresCluster cluster) {
        PoolSaturatedException atOnce = saturatedWrite(cluster, 0);
        assertThat(atOnce.node()).isEqualTo("primary");
        assertThat(atOnce.poolSize()).isEqualTo(1);
        assertThat(atOnce.maxWaiting()).isZero();
        assertThat(atOnce.waited()).isZero();
        assertThat(atOnce.getMessage()).startsWith("pool 'junction-primary' saturated: all 1 connections busy and the"
                + " bulkhead's 0 waiting places taken, so the call was turned away at once");

        PoolSaturatedException timedOut = saturatedWrite(cluster, 1);
        assertThat(timedOut.node()).isEqualTo("primary");
        assertThat(timedOut.poolSize()).isEqualTo(1);
        assertThat(timedOut.maxWaiting()).isEqualTo(1);
        assertThat(timedOut.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(timedOut.getMessage()).contains("no connection came free within connectionTimeout (waited "
                + timedOut.waited().toMillis() + "ms for one of 1)");
    }

    @Test
    void aPinnedReplicaKeepsEveryReadOfTheUnitWhileRoundRobinWouldAlternate(EmbeddedPostgresCluster cluster) {
        // Slow-replica detection off: a pin is honoured among the replicas that are not slow, and on a loaded machine
        // one replica's checks can be 5x its peer's for a while (seen in CI at load 5: the pinned read went to the
        // other replica). That rule has its own test (SlowReplicaIT).
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster)
                .selection(SelectionStrategy.ROUND_ROBIN).slowReplicaFactor(0).build());
             Database db = Junction.builder().router(router).build()) {
            // Parallel siblings ask for the first sibling's node; unpinned, round robin would give them the other.
            for (int i = 0; i < 10; i++) {
                Reported<Pair<Integer, Integer>> group = db.parallelReported(
                        ctx -> ctx.fetchSingle("select 1").get(0, Integer.class),
                        ctx -> ctx.fetchSingle("select 2").get(0, Integer.class));
                assertThat(group.report().nodes()).as("group " + i).hasSize(1);
                assertThat(group.report().routeReasons()).as("group " + i)
                        .containsExactlyInAnyOrder("replica", "pinned");
            }
            for (int i = 0; i < 6; i++) {
                Lease pinned = router.acquire(new RouteRequest(Intent.READ, Set.of(), "replica-2"));
                try {
                    assertThat(pinned.node().name()).isEqualTo("replica-2");
                    assertThat(pinned.reason()).isEqualTo("pinned");
                } finally {
                    pinned.release(null);
                }
            }
            Commit<Integer> write = db.write(ctx -> ctx.execute("insert into ticks default values"));
            // Once the monitor has seen both replicas past the token, either could serve it at once: the pinned
            // one must.
            Clusters.await(router, WAIT, "both replicas are seen past the token", () -> replayed(router, "replica-1",
                    write.token()) && replayed(router, "replica-2", write.token()));
            for (int i = 0; i < 6; i++) {
                Lease pinned = router.acquire(new RouteRequest(Intent.READ, Set.of(), "replica-2",
                        Consistency.after(write.token())));
                try {
                    assertThat(pinned.node().name()).as("a read after a token keeps the pinned replica")
                            .isEqualTo("replica-2");
                    assertThat(pinned.reason()).isEqualTo("token_replica");
                } finally {
                    pinned.release(null);
                }
            }
            assertThat(router.routingCounts()).containsEntry("pinned", 16L);
        }
    }
}
