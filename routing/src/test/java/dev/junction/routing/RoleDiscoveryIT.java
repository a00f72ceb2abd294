package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.JunctionException;
import dev.junction.PrimaryUnavailableException;
import dev.junction.Reported;
import dev.junction.WriteInterruptedException;
import dev.junction.spi.Role;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.TestkitException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Nodes configured without roles: the monitor finds the primary, and follows a failover made by the platform
 * (issue 11). Each test starts its own cluster, since a promotion cannot be undone.
 */
class RoleDiscoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The nodes of {@code cluster} without roles, named like the testkit's nodes; default monitor timing. */
    static RoutingConfig.Builder discovered(EmbeddedPostgresCluster cluster) {
        RoutingConfig.Builder b = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .primaryPool(PoolSettings.builder().maximumPoolSize(8).minimumIdle(0)
                        .connectionTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(1)).build())
                .circuitBreaker(CircuitBreakerSettings.builder().waitInOpenState(Duration.ofMillis(500)).build());
        for (PgNode node : cluster.nodes()) {
            b.node(NodeConfig.discovered(node.name(), node.jdbcUrl()));
        }
        return b;
    }

    @Test
    void withoutRolesTheMonitorFindsThePrimaryAndReadsGoToStandbys() throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
             ClusterRouter router = ClusterRouter.create(discovered(cluster).build());
             Database db = Junction.builder().router(router).build()) {
            assertThat(router.primaryStatus().node()).isEqualTo("primary");
            assertThat(router.primaryStatus().claimants()).containsExactly("primary");
            assertThat(router.primaryStatus().writesRefused()).isNull();

            Commit<Boolean> write = db.write(tx -> {
                tx.execute("create table probe_writes (id int)");
                return tx.fetchSingle("select not pg_is_in_recovery()").get(0, Boolean.class);
            });
            assertThat(write.value()).isTrue();
            assertThat(write.report().nodes()).extracting(n -> n.name()).containsExactly("primary");
            for (int i = 0; i < 10; i++) {
                Reported<Boolean> read = db.readReported(ctx -> ctx.fetchSingle("select pg_is_in_recovery()")
                        .get(0, Boolean.class));
                assertThat(read.value()).isTrue();
                assertThat(read.report().nodes().get(0).name()).isIn("replica-1", "replica-2");
            }
            // Statuses name each node in the role it serves now, and know the timelines.
            Map<String, NodeStatus> byName = new java.util.HashMap<>();
            router.topology().snapshot().forEach(s -> byName.put(s.name(), s));
            assertThat(byName.get("primary").configuredRole()).isEqualTo(Role.PRIMARY);
            assertThat(byName.get("primary").roleDiscovered()).isTrue();
            assertThat(byName.get("replica-1").configuredRole()).isEqualTo(Role.REPLICA);
            assertThat(byName.get("primary").timeline()).isEqualTo(1);
            assertThat(byName.get("replica-1").timeline()).isEqualTo(1);

            // The router's dedicated connection (the lookup listener's LISTEN) goes to the primary, unpooled.
            try (Connection c = router.openDedicatedPrimaryConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isFalse();
            }
        }
    }

    /**
     * The must-show failover: a steady write and read load, the primary killed (SIGKILL), a replica promoted by the
     * test as the platform would, the other replica re-pointed at it. Replication to the promoted replica is
     * synchronous, as under Patroni's synchronous mode or a managed service's HA option: that, not Junction, is what
     * makes every acknowledged commit survive the primary's loss. Prints the figures quoted in docs/operations.md.
     */
    @Test
    void writesFollowAPromotedReplicaUnderLoadWithoutRestartLosingNoAcknowledgedWriteAndNoRead() throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
            PgNode old = cluster.primary();
            old.execute("create table ledger (id bigint primary key, writer int not null)");
            old.execute("grant all on ledger to " + cluster.user());
            old.execute("alter system set synchronous_standby_names = '\"replica-1\"'");
            old.queryValue("select pg_reload_conf()");
            Clusters.awaitOr(WAIT, "replica-1 to be the synchronous standby", () -> "sync".equals(old.queryValue(
                    "select sync_state from pg_stat_replication where application_name = 'replica-1'")), () -> "");
            cluster.awaitReplication(WAIT);

            try (ClusterRouter router = ClusterRouter.create(discovered(cluster).build());
                 Database db = Junction.builder().router(router).build()) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong ids = new AtomicLong();
                Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
                Map<Long, String> ackedNode = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<long[]> successTimes = new ConcurrentLinkedQueue<>(); // {nanos, id}
                List<Failure> failures = new CopyOnWriteArrayList<>();
                LongAdder readsOk = new LongAdder();
                List<Throwable> readFailures = new CopyOnWriteArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                        while (!stop.get()) {
                            long id = ids.incrementAndGet();
                            try {
                                Commit<Integer> c = db.write(tx -> tx.execute(
                                        "insert into ledger (id, writer) values (?, ?)", id, writer));
                                acknowledged.add(id);
                                ackedNode.put(id, c.report().nodes().get(0).name());
                                successTimes.add(new long[] {System.nanoTime(), id});
                            } catch (JunctionException e) {
                                failures.add(new Failure(System.nanoTime(), e));
                                pause(5); // a client's back-off; Junction itself never re-runs the write
                            }
                        }
                    }));
                }
                for (int r = 0; r < 4; r++) {
                    threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                        while (!stop.get()) {
                            try {
                                db.read(ctx -> ctx.fetchValue("select count(*) from ledger"));
                                readsOk.increment();
                            } catch (RuntimeException e) {
                                readFailures.add(e);
                            }
                        }
                    }));
                }
                try {
                    Clusters.awaitOr(WAIT, "200 acknowledged writes", () -> acknowledged.size() >= 200,
                            () -> failures.toString());
                    long killStart = System.nanoTime();
                    old.kill();
                    long killedAt = System.nanoTime();
                    Set<Long> acknowledgedBeforeKill = Set.copyOf(acknowledged);
                    Clusters.await(router, WAIT, "the router to see no primary",
                            () -> router.primaryStatus().node() == null);
                    long noticedAt = System.nanoTime();
                    // The replica that received the most of the old primary's WAL is promoted, so that the other one
                    // can follow the new timeline: one past the fork point could only come back through pg_rewind.
                    // Usually replica-1, the synchronous standby; the asynchronous replica-2 can be a few records
                    // ahead when the primary dies under load (CI saw it stuck on timeline 1 after re-pointing). The
                    // receive position counts WAL flushed on the replica, so the one ahead has every acknowledged write.
                    PgNode one = cluster.node("replica-1");
                    PgNode two = cluster.node("replica-2");
                    boolean twoAhead = receivedLsn(two) > receivedLsn(one);
                    PgNode next = twoAhead ? two : one;
                    PgNode other = twoAhead ? one : two;

                    long promoteStart = System.nanoTime();
                    next.promote();
                    long promotedAt = System.nanoTime();
                    String otherOutcome;
                    try {
                        other.follow(next);
                        otherOutcome = "re-pointed at " + next.name();
                    } catch (TestkitException e) {
                        otherOutcome = "could not be re-pointed: " + e.getMessage();
                    }

                    Clusters.awaitOr(WAIT, "a write acknowledged after the promotion",
                            () -> successTimes.stream().anyMatch(t -> t[0] > promotedAt), () -> failures.toString());
                    long firstWrite = successTimes.stream().mapToLong(t -> t[0]).filter(t -> t > promotedAt).min()
                            .orElseThrow();
                    long readsAtFirstWrite = readsOk.sum();
                    // Some more load on the new primary, and time for replica-2 to come back for reads.
                    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    while (System.nanoTime() < until) {
                        pause(20);
                    }
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join(WAIT.toMillis());
                    }

                    // Failed writes between the kill and the first write on the new primary, by kind.
                    List<Failure> during = failures.stream().filter(f -> f.nanos >= killStart && f.nanos <= firstWrite)
                            .toList();
                    long interrupted = during.stream().filter(f -> f.error instanceof WriteInterruptedException)
                            .count();
                    long unknown = during.stream().filter(f -> f.error instanceof WriteInterruptedException w
                            && w.mayHaveBeenApplied()).count();
                    long refused = during.stream().filter(f -> f.error instanceof PrimaryUnavailableException)
                            .count();
                    long afterPromotion = during.stream().filter(f -> f.nanos > promotedAt).count();
                    // Up to WAIT, not a few seconds: re-pointing restarts replica-2, and a node found down more than once in a row is
                    // readmitted with backoff (Readmission), while it also catches up with the writes of the new primary.
                    boolean otherFollows = awaitFollows(router, other.name(), WAIT);
                    System.out.printf("failover figures: primary killed (SIGKILL, %d ms until every process was"
                                    + " gone); router saw no primary %d ms later;"
                                    + " promotion of %s took %d ms; first write acknowledged on the new"
                                    + " primary %d ms after the promotion finished (%d ms after the kill); failed"
                                    + " writes between kill and that write: %d (%d refused as no primary is"
                                    + " available, %d interrupted in flight of which %d with unknown outcome; %d of"
                                    + " them after the promotion); reads: %d succeeded (%d until the first new"
                                    + " write), %d failed; acknowledged writes: %d before the kill, %d in all;"
                                    + " %s %s, %s%n",
                            ms(killedAt - killStart), ms(noticedAt - killedAt), next.name(), ms(promotedAt - promoteStart),
                            ms(firstWrite - promotedAt),
                            ms(firstWrite - killedAt), during.size(), refused, interrupted, unknown, afterPromotion,
                            readsOk.sum(), readsAtFirstWrite, readFailures.size(), acknowledgedBeforeKill.size(),
                            acknowledged.size(), other.name(), otherOutcome, otherFollows ? "and serves reads again"
                                    : "gets no reads (it did not follow the new timeline)");

                    assertThat(readFailures).as("failed reads").isEmpty();
                    // Issue 24: replica-2 follows the new timeline and the router takes it back for reads.
                    assertThat(otherOutcome).isEqualTo("re-pointed at " + next.name());
                    assertThat(otherFollows).as("%s eligible again after following the new timeline; its status: %s",
                            other.name(), Clusters.status(router, other.name()))
                            .isTrue();
                    assertThat(Clusters.status(router, other.name()).timeline()).isEqualTo(2);
                    assertThat(other.queryValue("select received_tli from pg_stat_wal_receiver")).isEqualTo(2);
                    assertThat(router.primaryStatus().node()).isEqualTo(next.name());
                    assertThat(router.primaryStatus().timeline()).isEqualTo(2);
                    assertThat(router.primaryStatus().changes()).isEqualTo(1);
                    // Every failed write was marked: retryable (nothing applied) unless its commit was in flight.
                    for (Failure f : failures) {
                        assertThat(f.error).isInstanceOfAny(PrimaryUnavailableException.class,
                                WriteInterruptedException.class);
                        boolean unknownOutcome = f.error instanceof WriteInterruptedException w
                                && w.mayHaveBeenApplied();
                        assertThat(f.error.isRetryable()).as(f.error.getMessage()).isEqualTo(!unknownOutcome);
                    }
                    // Writes acknowledged after the promotion went to the new primary only.
                    successTimes.stream().filter(t -> t[0] > promotedAt)
                            .forEach(t -> assertThat(ackedNode.get(t[1])).isEqualTo(next.name()));
                    // Every acknowledged write, before and after the kill, is on the new primary.
                    Set<Long> present = ids(next);
                    assertThat(present).containsAll(acknowledged);
                    assertThat(acknowledgedBeforeKill).isNotEmpty();
                } finally {
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join(WAIT.toMillis());
                    }
                }
            }
        }
    }

    private record Failure(long nanos, JunctionException error) {
    }

    /** The WAL position {@code replica} has received and flushed, as a number. */
    private static long receivedLsn(PgNode replica) {
        String[] lsn = String.valueOf(replica.queryValue("select pg_last_wal_receive_lsn()::text")).split("/");
        return (Long.parseLong(lsn[0], 16) << 32) | Long.parseLong(lsn[1], 16);
    }

    private static boolean awaitFollows(ClusterRouter router, String node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Clusters.status(router, node).eligible()) {
                return true;
            }
            pause(50);
        }
        return false;
    }

    static Set<Long> ids(PgNode node) {
        Set<Long> out = new java.util.HashSet<>();
        for (Map<String, Object> row : node.query("select id from ledger")) {
            out.add(((Number) row.get("id")).longValue());
        }
        return out;
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
