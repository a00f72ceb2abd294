package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.junction.ClusterHealth;
import dev.junction.ClusterHealth.State;
import dev.junction.spi.Role;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: {@link ClusterRouter#health()} on a real cluster: UP, DEGRADED naming a killed replica, DOWN while the
 * primary is stopped, UP again once every node is back; node details without credentials.
 */
@WithEmbeddedCluster(replicas = 2)
class ClusterHealthIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private static void awaitState(ClusterRouter router, State state) {
        Clusters.awaitOr(WAIT, "health is " + state, () -> router.health().state() == state,
                () -> String.valueOf(router.health()));
    }

    @Test
    void upThenDegradedNamingAKilledReplicaThenDownWithoutThePrimaryThenUpAgain(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).build())) {
            ClusterHealth up = router.health();
            assertThat(up.state()).isEqualTo(State.UP);
            assertThat(up.reasons()).isEmpty();
            assertThat(up.nodes()).extracting(ClusterHealth.Node::name, ClusterHealth.Node::role,
                    ClusterHealth.Node::eligible).containsExactly(
                    tuple("primary", Role.PRIMARY, true),
                    tuple("replica-1", Role.REPLICA, true),
                    tuple("replica-2", Role.REPLICA, true));

            cluster.node("replica-1").kill();
            awaitState(router, State.DEGRADED);
            ClusterHealth degraded = router.health();
            assertThat(degraded.reasons()).singleElement().asString()
                    .startsWith("replica 'replica-1' serves no reads: down (");
            ClusterHealth.Node victim = degraded.nodes().get(1);
            assertThat(victim.name()).isEqualTo("replica-1");
            assertThat(victim.up()).isFalse();
            assertThat(victim.eligible()).isFalse();
            assertThat(victim.problem()).startsWith("down (");
            assertThat(degraded.nodes().get(2).eligible()).isTrue();

            cluster.primary().stop();
            awaitState(router, State.DOWN);
            ClusterHealth down = router.health();
            assertThat(down.reasons()).first().asString()
                    .startsWith("writes are refused: the primary 'primary' is down (");
            assertThat(down.reasons()).anySatisfy(r -> assertThat(r).startsWith("replica 'replica-1'"));
            assertThat(down.nodes().get(0).up()).isFalse();

            cluster.primary().start();
            cluster.node("replica-1").start();
            awaitState(router, State.UP);
            assertThat(router.health().reasons()).isEmpty();
        }
    }

    @Test
    void nodeDetailsCarryNoCredentialsNorUrlParameters(EmbeddedPostgresCluster cluster) {
        String withParameters = cluster.primary().jdbcUrl() + "?ApplicationName=health-it&sslmode=disable";
        RoutingConfig.Builder config = Clusters.config(cluster).nodes(List.of(
                NodeConfig.primary("primary", withParameters)));
        for (PgNode replica : cluster.replicas()) {
            config.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
        }
        try (ClusterRouter router = ClusterRouter.create(config.build())) {
            ClusterHealth h = router.health();
            assertThat(h.nodes().get(0).url()).isEqualTo(cluster.primary().jdbcUrl() + "?...");
            assertThat(h.nodes().get(1).url()).isEqualTo(cluster.replicas().get(0).jdbcUrl());
            // URL parameters are where a password could hide (pgjdbc accepts ?password=); none is shown. The testkit's
            // password is also the database's name, so the URL checks above stand for it.
            assertThat(h.toString()).doesNotContain("sslmode").doesNotContain("ApplicationName")
                    .doesNotContain("health-it");
        }
    }
}
