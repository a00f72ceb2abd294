package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A replica that falls behind stops getting reads and gets them again once it catches up (issue 3). */
@WithEmbeddedCluster(replicas = 2)
class LagIT {

    @Test
    void aReplicaBeyondTheMaximumLagGetsNoReadsUntilItCatchesUp(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table ticks (id bigserial primary key, at timestamptz default now())");
        cluster.awaitReplication(Duration.ofSeconds(30));
        PgNode lagging = cluster.node("replica-1");
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster)
                .maxReplicaLag(Duration.ofMillis(500)).build());
             Database db = Junction.builder().router(router).build()) {
            lagging.pauseReplay();
            try {
                // The primary keeps writing; the paused replica's replayed position falls further behind.
                Clusters.await(router, Duration.ofSeconds(60), "replica-1 is excluded for lag", () -> {
                    cluster.primary().execute("insert into ticks default values");
                    return Clusters.status(router, "replica-1").lagExcluded();
                });
                NodeStatus status = Clusters.status(router, "replica-1");
                assertThat(status.eligible()).isFalse();
                assertThat(status.lag()).isGreaterThan(Duration.ofMillis(500));
                assertThat(Clusters.status(router, "replica-2").eligible()).isTrue();

                assertThat(readsPerNode(db, 40)).containsOnlyKeys("replica-2");
            } finally {
                lagging.resumeReplay();
            }
            Clusters.await(router, Duration.ofSeconds(60), "replica-1 is eligible again",
                    () -> Clusters.status(router, "replica-1").eligible());
            assertThat(readsPerNode(db, 40)).containsOnlyKeys("replica-1", "replica-2");
            assertThat(router.topology().snapshot()).noneMatch(NodeStatus::lagExcluded);
        }
    }

    private static Map<String, Long> readsPerNode(Database db, int reads) {
        return IntStream.range(0, reads)
                .mapToObj(i -> db.readReported(ctx -> ctx.fetch("select 1")).report().nodes().get(0).name())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
