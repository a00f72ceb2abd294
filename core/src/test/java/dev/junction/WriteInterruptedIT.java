package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A write that loses its session before the commit fails marked retryable and is never re-run (issue 11). */
@WithEmbeddedCluster(replicas = 0)
class WriteInterruptedIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table interrupted (id int primary key)");
        cluster.primary().execute("grant all on interrupted to " + cluster.user());
    }

    @Test
    void aWriteWhoseSessionEndsBeforeItsCommitFailsRetryableNothingAppliedAndRunsOnce(
            EmbeddedPostgresCluster cluster) {
        try (HikariDataSource ds = TwoPoolRouter.pool(cluster, cluster.primary(), 2, false);
             Database db = Junction.builder().dataSource(ds).build()) {
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> db.write(tx -> {
                runs.incrementAndGet();
                tx.execute("insert into interrupted values (1)");
                // The server ends this session, as a crash or a failover does (SQLState 57P01).
                return tx.execute("select pg_terminate_backend(pg_backend_pid())");
            })).isInstanceOfSatisfying(WriteInterruptedException.class, e -> {
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.mayHaveBeenApplied()).isFalse();
                assertThat(e.node()).isEqualTo("primary");
            }).hasMessageContaining("write on node 'primary' lost its connection (SQLState 57P01) before its commit;"
                    + " nothing was applied and it was not retried");
            assertThat(runs).hasValue(1);
            assertThat(cluster.primary().queryValue("select count(*) from interrupted")).isEqualTo(0L);

            // The pool recovers: the next write works.
            db.write(tx -> tx.execute("insert into interrupted values (2)"));
            assertThat(cluster.primary().queryValue("select count(*) from interrupted")).isEqualTo(1L);
        }
    }
}
