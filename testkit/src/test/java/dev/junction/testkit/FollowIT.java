package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Re-pointing a replica at a promoted one, as a failover platform does (issue 11). */
class FollowIT {

    @Test
    void aReplicaFollowsThePromotedReplicaOntoItsTimeline() {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
            cluster.primary().execute("create table t (id int)");
            cluster.awaitReplication(Duration.ofSeconds(30));
            PgNode promoted = cluster.node("replica-1");
            PgNode follower = cluster.node("replica-2");
            assertThatThrownBy(() -> follower.follow(promoted)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a replica; promote() it first");

            cluster.primary().kill();
            promoted.promote();
            follower.follow(promoted);
            promoted.execute("insert into t values (1)");
            follower.awaitCaughtUp(Duration.ofSeconds(30));

            assertThat(follower.queryValue("select count(*) from t")).isEqualTo(1L);
            assertThat(follower.queryValue("select received_tli from pg_stat_wal_receiver")).isEqualTo(2);
            assertThat(follower.inRecovery()).isTrue();
        }
    }
}
