package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A consistency token from before a failover is never judged reached by a node on another timeline (issue 11).
 *
 * <p>The scenario that a position-only comparison gets wrong: the token's commit reached only the old primary, which
 * then died; the promoted replica forked timeline 2 off before that commit and wrote past its position; a replica
 * following timeline 2 is then "past" the token's position without holding its commit. The read must go to the
 * primary instead (where the commit is missing too: it was lost with the old primary, which only synchronous
 * replication prevents, see {@link RoleDiscoveryIT}).
 */
class TimelineTokenIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aTokenFromTheOldTimelineIsNeverJudgedReachedByAReplicaOfTheNewOne() {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
            PgNode old = cluster.primary();
            PgNode follower = cluster.node("replica-1");
            PgNode promoted = cluster.node("replica-2");
            old.execute("create table notes (id bigserial primary key, body text not null)");
            old.execute("grant all on notes, notes_id_seq to " + cluster.user());
            cluster.awaitReplication(WAIT);

            try (ClusterRouter router = ClusterRouter.create(RoleDiscoveryIT.discovered(cluster)
                    .monitorInterval(Duration.ofMillis(100)).skipDownNodesAtStart(true).build());
                 Database db = Junction.builder().router(router).build()) {
                // The commit behind the token reaches the old primary only.
                follower.stop();
                promoted.stop();
                Commit<Integer> lost = db.write(tx -> tx.execute("insert into notes (body) values ('lost')"));
                ConsistencyToken token = lost.token();
                assertThat(token.timeline()).isEqualTo(1);
                old.kill();

                follower.start();
                promoted.start();
                promoted.promote();
                follower.follow(promoted);
                // replica-2 was down a moment ago, so its breaker lets writes through once its wait has passed.
                Clusters.await(router, WAIT, "writes to go to replica-2", () -> "replica-2".equals(
                        router.primaryStatus().node()) && router.primaryStatus().writesRefused() == null);
                // Write on timeline 2 until its position is well past the token's.
                while (Long.compareUnsigned(ConsistencyToken.parseLsn(promoted.walPosition()), token.lsn()) <= 0) {
                    db.write(tx -> tx.execute("insert into notes (body) select 'new ' || g"
                            + " from generate_series(1, 1000) g"));
                }
                Commit<Integer> fresh = db.write(tx -> tx.execute("insert into notes (body) values ('fresh')"));
                assertThat(fresh.token().timeline()).isEqualTo(2);
                follower.awaitCaughtUp(WAIT);
                Clusters.await(router, WAIT, "replica-1 to be eligible on timeline 2 past the token's position", () -> {
                    NodeStatus s = Clusters.status(router, "replica-1");
                    return s.eligible() && Integer.valueOf(2).equals(s.timeline()) && s.lastLsn() != null
                            && Long.compareUnsigned(ConsistencyToken.parseLsn(s.lastLsn()), token.lsn()) >= 0;
                });

                // Position-wise replica-1 has "reached" the token; its history does not hold the commit.
                assertThat(Long.compareUnsigned(ConsistencyToken.parseLsn(follower.walPosition()), token.lsn()))
                        .isPositive();
                for (int i = 0; i < 10; i++) {
                    Reported<Long> read = db.readReported(Consistency.after(token), ctx -> ((Number) ctx.fetchValue(
                            "select count(*) from notes where body = 'lost'")).longValue());
                    assertThat(read.report().nodes().get(0).name()).isEqualTo("replica-2");
                    assertThat(read.report().routeReasons()).containsExactly("token_primary");
                    assertThat(read.value()).isZero(); // the commit died with the old primary
                }
                // A token of the new timeline is served by the replica that follows it: the check is per timeline.
                Reported<Long> current = db.readReported(Consistency.after(fresh.token()),
                        ctx -> ((Number) ctx.fetchValue("select count(*) from notes where body = 'fresh'"))
                                .longValue());
                assertThat(current.value()).isEqualTo(1);
                assertThat(current.report().nodes().get(0).name()).isEqualTo("replica-1");
                assertThat(current.report().routeReasons().get(0)).isIn("token_replica", "token_waited");
            }
        }
    }
}
