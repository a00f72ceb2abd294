package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lag exclusion by WAL bytes and its hysteresis against a real replica that falls behind (issue 24): the replica's
 * replay is paused, then held at a chosen commit with {@code recovery_min_apply_delay}, so its lag takes three real
 * values in turn: over the limit, between the hysteresis bound and the limit, and zero.
 */
@WithEmbeddedCluster(replicas = 1)
class LagExclusionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        // No autovacuum: its commits would be commit records the apply delay stops at.
        cluster.primary().execute("create table lagging (id bigint primary key, body text not null)"
                + " with (autovacuum_enabled = false)");
        cluster.primary().execute("grant all on lagging to " + cluster.user());
        cluster.awaitReplication(WAIT);
    }

    @Test
    void aReplicaOverTheByteLimitIsExcludedAndReturnsOnlyBelowTheHysteresisBound(EmbeddedPostgresCluster cluster) {
        PgNode primary = cluster.primary();
        PgNode replica = cluster.replicas().get(0);
        // Replay will stop before the first commit record it meets (a commit younger than an hour); set while the
        // replica is caught up, so it is in force before any commit it has to hold.
        delayApply(replica, "1h");
        replica.pauseReplay();
        try {
            long start = walPosition(primary);
            primary.execute("insert into lagging select g, repeat('a', 200) from generate_series(1, 3000) g");
            long afterFirst = walPosition(primary);
            primary.execute("insert into lagging select g, repeat('b', 200) from generate_series(3001, 6000) g");
            long afterSecond = walPosition(primary);
            long second = afterSecond - afterFirst;
            // Limit 1.4 x the second write, re-entry below half of it: lag of both writes is over the limit, lag of
            // the second alone lies between the bound and the limit.
            long maxBytes = second * 14 / 10;
            long bound = maxBytes / 2;
            assertThat(afterSecond - start).as("both writes' WAL").isGreaterThan(maxBytes);

            ClusterRouter router = ClusterRouter.create(Clusters.config(cluster).maxReplicaLag(Duration.ofMinutes(30))
                    .maxReplicaLagBytes(maxBytes).lagHysteresis(0.5).build());
            try (Database db = Junction.builder().router(router).build()) {
                Clusters.await(router, WAIT, "the replica's lag over the limit",
                        () -> lagBytes(router) != null && lagBytes(router) > maxBytes);
                Clusters.await(router, WAIT, "the replica excluded for lag",
                        () -> Clusters.status(router, "replica-1").lagExcluded());
                assertThat(Clusters.status(router, "replica-1").eligible()).isFalse();
                assertThat(servedBy(db)).isEqualTo("primary");

                // Replay runs up to the first write's commit record and waits there: the second write is behind.
                replica.resumeReplay();
                Clusters.await(router, WAIT, "the replica's lag below the limit",
                        () -> lagBytes(router) != null && lagBytes(router) < maxBytes);
                NodeStatus between = Clusters.status(router, "replica-1");
                assertThat(between.lagBytes()).as("lag between the bound and the limit").isGreaterThan(bound)
                        .isLessThan(maxBytes);
                assertThat(between.lagExcluded()).as("still excluded below the limit, above the bound").isTrue();
                assertThat(between.eligible()).isFalse();
                assertThat(servedBy(db)).isEqualTo("primary");

                delayApply(replica, "0");
                Clusters.await(router, WAIT, "the replica back once its lag is below the bound",
                        () -> Clusters.status(router, "replica-1").eligible());
                NodeStatus back = Clusters.status(router, "replica-1");
                assertThat(back.lagExcluded()).isFalse();
                assertThat(back.lagBytes()).isLessThan(bound);
                assertThat(servedBy(db)).isEqualTo("replica-1");
            }
        } finally {
            delayApply(replica, "0");
            replica.resumeReplay();
        }
    }

    private static Long lagBytes(ClusterRouter router) {
        return Clusters.status(router, "replica-1").lagBytes();
    }

    private static String servedBy(Database db) {
        return db.readReported(ctx -> ctx.fetch("select 1")).report().nodes().get(0).name();
    }

    private static long walPosition(PgNode primary) {
        return ((Number) primary.queryValue("select pg_current_wal_lsn() - '0/0'::pg_lsn")).longValue();
    }

    /** recovery_min_apply_delay on the replica, in force once the configuration is reloaded. */
    private static void delayApply(PgNode replica, String delay) {
        replica.execute("alter system set recovery_min_apply_delay = '" + delay + "'");
        replica.execute("select pg_reload_conf()");
    }
}
