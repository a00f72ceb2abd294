package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The replay fault controls succeed while the replica serves reads and the primary churns (issue 24): a fault control
 * that fails with "canceling statement due to conflict with recovery" makes every test that uses it flaky.
 *
 * <p>{@code max_standby_streaming_delay = 0} makes the replica cancel any query that conflicts with replay at once,
 * and the primary's updates, vacuums and temporary tables produce cleanup records in the catalogs and a user table,
 * so the controls' own queries (and the connections they open) meet conflicts; they must retry them, not fail.
 */
class FaultControlsUnderLoadIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void pauseAndResumeReplaySucceedRepeatedlyWhileTheReplicaServesReadsUnderLoad() throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1)
                .setting("max_standby_streaming_delay", "0").start()) {
            PgNode primary = cluster.primary();
            PgNode replica = cluster.replicas().get(0);
            primary.execute("create table churn (id int primary key, v int not null) with (fillfactor = 50)");
            primary.execute("insert into churn select g, 0 from generate_series(1, 200) g");
            primary.execute("grant select on churn to " + cluster.user());
            cluster.awaitReplication(WAIT);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            List<Thread> load = new ArrayList<>();
            load.add(Thread.ofPlatform().start(() -> churn(cluster, primary, running)));
            for (int i = 0; i < 2; i++) {
                load.add(Thread.ofPlatform().start(() -> read(cluster, replica, running, reads)));
            }
            try {
                for (int i = 0; i < 30; i++) {
                    replica.pauseReplay();
                    assertThat(replica.queryValue("select pg_get_wal_replay_pause_state()")).isEqualTo("paused");
                    Thread.sleep(20);
                    replica.resumeReplay();
                }
            } finally {
                running.set(false);
                for (Thread t : load) {
                    t.join();
                }
            }

            assertThat(reads.get()).as("reads the replica served during the controls").isPositive();
            replica.awaitCaughtUp(WAIT);
            assertThat(replica.queryValue("select pg_get_wal_replay_pause_state()")).isEqualTo("not paused");
        }
    }

    private static void churn(EmbeddedPostgresCluster cluster, PgNode primary, AtomicBoolean running) {
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), cluster.superuser(), cluster.password());
                Statement s = c.createStatement()) {
            for (int i = 0; running.get(); i++) {
                s.execute("update churn set v = v + 1");
                s.execute("create temp table scratch (x int); drop table scratch");
                if (i % 5 == 0) {
                    s.execute("vacuum churn");
                    s.execute("vacuum pg_class");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the primary's churn failed", e);
        }
    }

    private static void read(EmbeddedPostgresCluster cluster, PgNode replica, AtomicBoolean running, AtomicLong reads) {
        while (running.get()) {
            try (Connection c = DriverManager.getConnection(replica.jdbcUrl(), cluster.user(), cluster.password());
                    Statement s = c.createStatement()) {
                for (int i = 0; i < 20 && running.get(); i++) {
                    s.execute("select sum(v) from churn");
                    reads.incrementAndGet();
                }
            } catch (SQLException e) {
                // The readers are the load, not the subject: their own recovery conflicts are expected.
            }
        }
    }
}
