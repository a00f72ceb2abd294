package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Promotion and process lifecycle, each on a cluster of its own because they change the topology (issue 2). */
class PromotionIT {

    @Test
    void aPromotedReplicaAcceptsWrites() {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            cluster.primary().execute("create table t (id int)");
            PgNode replica = cluster.replicas().get(0);
            replica.awaitCaughtUp(Duration.ofSeconds(10));
            assertThatThrownBy(() -> replica.execute("insert into t values (1)"))
                    .hasMessageContaining("read-only transaction");

            cluster.primary().kill();
            replica.promote();

            assertThat(replica.inRecovery()).isFalse();
            assertThat(replica.isReplica()).isFalse();
            assertThat(replica.execute("insert into t values (1)")).isEqualTo(1);
            assertThat(replica.queryValue("select count(*) from t")).isEqualTo(1L);
        }
    }

    @Test
    void closeStopsEveryServerProcessAndDeletesTheData() {
        EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
        var postmasters = cluster.nodes().stream().map(n -> ProcessHandle.of(n.pid().orElseThrow()).orElseThrow())
                .toList();
        var backends = postmasters.stream().flatMap(ProcessHandle::descendants).toList();
        assertThat(backends).isNotEmpty();

        cluster.close();

        assertThat(postmasters).noneMatch(ProcessHandle::isAlive);
        assertThat(backends).noneMatch(ProcessHandle::isAlive);
        assertThat(cluster.baseDirectory()).doesNotExist();
    }
}
