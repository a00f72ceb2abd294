package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.PrimaryUnavailableException;
import dev.junction.metrics.MeterNames;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes claiming the primary role at once (issue 11): the old primary comes back, still on timeline 1, after its
 * replica was promoted to timeline 2. Junction writes to at most one of them, which each test checks by reading both
 * servers directly afterwards.
 */
class SplitBrainIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedPostgresCluster cluster;
    private static PgNode old;
    private static PgNode promoted;
    /** A router with fixed roles, started before the split: its configured primary is the old one. */
    private static ClusterRouter fixedRouter;
    private static Database fixedDb;

    @BeforeAll
    static void splitBrain() {
        cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
        old = cluster.primary();
        promoted = cluster.node("replica-1");
        old.execute("create table notes (id bigserial primary key, body text not null)");
        old.execute("grant all on notes, notes_id_seq to " + cluster.user());
        cluster.awaitReplication(WAIT);
        fixedRouter = ClusterRouter.create(Clusters.config(cluster).build());
        fixedDb = Junction.builder().router(fixedRouter).build();
        fixedDb.write(tx -> tx.execute("insert into notes (body) values ('before the split')"));

        old.kill();
        promoted.promote();
        old.start(); // crash recovery; back as a primary on its old timeline
        assertThat(old.inRecovery()).isFalse();
        assertThat(promoted.inRecovery()).isFalse();
    }

    @AfterAll
    static void stop() {
        if (fixedDb != null) {
            fixedDb.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RoutingConfig.Builder discovered() {
        return RoleDiscoveryIT.discovered(cluster).monitorInterval(Duration.ofMillis(100));
    }

    private static long count(PgNode node, String prefix) {
        return ((Number) node.queryValue("select count(*) from notes where body like ?", prefix + "%")).longValue();
    }

    @Test
    void withNewestTimelineWritesGoOnlyToTheNodeOnTheNewestTimeline() {
        try (ClusterRouter router = ClusterRouter.create(discovered().build());
             Database db = Junction.builder().router(router).build()) {
            PrimaryStatus status = router.primaryStatus();
            assertThat(status.claimants()).containsExactly("primary", "replica-1");
            assertThat(status.node()).isEqualTo("replica-1");
            assertThat(status.timeline()).isEqualTo(2);
            assertThat(status.writesRefused()).isNull();
            assertThat(status.splitBrainEpisodes()).isEqualTo(1);

            for (int i = 0; i < 20; i++) {
                String body = "newest " + i;
                Commit<Integer> c = db.write(tx -> tx.execute("insert into notes (body) values (?)", body));
                assertThat(c.report().nodes().get(0).name()).isEqualTo("replica-1");
                assertThat(c.token().timeline()).isEqualTo(2);
            }
            // The fenced node gets no reads as a replica either: it is not in recovery.
            assertThat(Clusters.status(router, "primary").eligible()).isFalse();
        }
        assertThat(count(old, "newest")).isZero();
        assertThat(count(promoted, "newest")).isEqualTo(20);
    }

    @Test
    void withRefuseWritesEveryWriteIsRefusedNamingBothNodesAndTheMetricsSaySo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ClusterRouter router = ClusterRouter.create(discovered()
                .splitBrain(SplitBrainPolicy.REFUSE_WRITES).build());
             Database db = Junction.builder().router(router).build();
             RoutingMetrics metrics = RoutingMetrics.bind(router, registry)) {
            assertThat(router.primaryStatus().node()).isNull();
            for (int i = 0; i < 5; i++) {
                String body = "refused " + i;
                assertThatThrownBy(() -> db.write(tx -> tx.execute("insert into notes (body) values (?)", body)))
                        .isInstanceOfSatisfying(PrimaryUnavailableException.class,
                                e -> assertThat(e.isRetryable()).isTrue())
                        .hasMessageContaining("split brain: nodes 'primary' (timeline 1) and 'replica-1' (timeline"
                                + " 2) both claim the primary role")
                        .hasMessageContaining("splitBrain: refuse-writes")
                        .hasMessageContaining("the write was not applied");
            }
            assertThat(registry.get(MeterNames.SPLIT_BRAIN).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(MeterNames.PRIMARY_CLAIMANTS).gauge().value()).isEqualTo(2);
            assertThat(router.primaryStatus().writesRefused()).contains("split brain");
        }
        assertThat(count(old, "refused")).isZero();
        assertThat(count(promoted, "refused")).isZero();
    }

    @Test
    void withFixedRolesTheConfiguredPrimaryIsFencedOnceANewerTimelineClaimsThePrimaryRole() {
        Clusters.await(fixedRouter, WAIT, "the fixed-role router to see both claimants",
                () -> fixedRouter.primaryStatus().claimants().size() == 2);
        assertThatThrownBy(() -> fixedDb.write(tx -> tx.execute("insert into notes (body) values ('fixed')")))
                .isInstanceOf(PrimaryUnavailableException.class)
                .hasMessageContaining("the newest timeline is on 'replica-1', not on the configured primary"
                        + " 'primary'")
                .hasMessageContaining("configure the nodes without roles");
        assertThat(count(old, "fixed")).isZero();
        assertThat(count(promoted, "fixed")).isZero();
        assertThat(count(promoted, "before the split")).isEqualTo(1);
    }
}
