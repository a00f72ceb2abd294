package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replication behaviours later issues rely on, on real PostgreSQL 17 (issue 2). */
@WithEmbeddedCluster(replicas = 2)
class EmbeddedPostgresClusterIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table items (id bigint primary key, label text not null)");
        cluster.primary().execute("grant all on items to " + cluster.user());
    }

    @AfterEach
    void resumeEverything(EmbeddedPostgresCluster cluster) {
        for (PgNode replica : cluster.replicas()) {
            replica.start();
            replica.resumeReplay();
        }
    }

    @Test
    void startsAPrimaryAndStreamingReplicasOfPostgres17(EmbeddedPostgresCluster cluster) {
        assertThat(cluster.primary().inRecovery()).isFalse();
        assertThat(cluster.replicas()).hasSize(2).allSatisfy(r -> assertThat(r.inRecovery()).isTrue());
        assertThat(cluster.primary().queryValue("show server_version_num").toString()).startsWith("17");
        List<?> senders = cluster.primary().query("select application_name from pg_stat_replication"
                + " where state = 'streaming' order by 1");
        assertThat(senders).hasSize(2);
    }

    @Test
    void aWriteReachesEveryReplica(EmbeddedPostgresCluster cluster) throws Exception {
        try (Connection c = cluster.primary().connect(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into items values (1, 'written on the primary')");
        }
        for (PgNode replica : cluster.replicas()) {
            replica.awaitCaughtUp(Duration.ofSeconds(10));
            try (Connection c = replica.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select label from items where id = 1")) {
                assertThat(rs.next()).as("row on %s", replica.name()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("written on the primary");
            }
        }
    }

    @Test
    void pausedReplayGivesLagThatDisappearsOnResume(EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(0);
        replica.pauseReplay();
        cluster.primary().execute("insert into items values (2, 'during the pause')");
        String target = cluster.primary().walPosition();

        assertThat(lagBytes(replica, target)).isPositive();
        assertThat(replica.query("select 1 from items where id = 2")).isEmpty();

        replica.resumeReplay();
        replica.awaitCaughtUp(Duration.ofSeconds(10));
        assertThat(lagBytes(replica, target)).isLessThanOrEqualTo(0);
        assertThat(replica.query("select 1 from items where id = 2")).hasSize(1);
    }

    @Test
    void aKilledReplicaRestartsAndCatchesUp(EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(1);
        long pid = replica.pid().orElseThrow();
        replica.kill();
        assertThat(replica.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid)).isEmpty();

        cluster.primary().execute("insert into items values (3, 'while the replica was down')");
        replica.start();
        replica.awaitCaughtUp(Duration.ofSeconds(20));
        assertThat(replica.query("select label from items where id = 3"))
                .singleElement().extracting(row -> row.get("label")).isEqualTo("while the replica was down");
        assertThat(replica.inRecovery()).isTrue();
    }

    @Test
    void aStoppedPrimaryRestartsAndReplicasFollowIt(EmbeddedPostgresCluster cluster) {
        cluster.primary().stop();
        assertThat(cluster.primary().isRunning()).isFalse();
        cluster.primary().start();
        cluster.primary().execute("insert into items values (4, 'after the restart')");
        cluster.awaitReplication(Duration.ofSeconds(20));
        for (PgNode replica : cluster.replicas()) {
            assertThat(replica.query("select 1 from items where id = 4")).hasSize(1);
        }
    }

    private static long lagBytes(PgNode replica, String primaryPosition) {
        Object diff = replica.queryValue("select pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn())",
                primaryPosition);
        return ((Number) diff).longValue();
    }
}
