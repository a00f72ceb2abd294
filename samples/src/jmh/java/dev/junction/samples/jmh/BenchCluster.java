package dev.junction.samples.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/** Helpers the benchmarks share: a cluster with one replica, data sources and small pools. */
final class BenchCluster {
    private BenchCluster() {
    }

    /** A primary with one streaming replica. */
    static EmbeddedPostgresCluster start() {
        return EmbeddedPostgresCluster.builder().replicas(1).start();
    }

    static PGSimpleDataSource direct(EmbeddedPostgresCluster cluster, String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(cluster.user());
        ds.setPassword(cluster.password());
        return ds;
    }

    /** A HikariCP pool of {@code size} connections, all opened up front. */
    static HikariDataSource pool(EmbeddedPostgresCluster cluster, String url, int size) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(cluster.user());
        pool.setPassword(cluster.password());
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(size);
        pool.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        return pool;
    }

    /** A table of 1,000 rows on the primary, replicated. */
    static void items(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table if not exists item (id int primary key, label text not null)");
        cluster.primary().execute("grant all on item to " + cluster.user());
        cluster.primary().execute("insert into item select g, 'item ' || g from generate_series(1, 1000) g"
                + " on conflict do nothing");
        cluster.primary().execute("analyze item");
        cluster.awaitReplication(Duration.ofSeconds(60));
    }
}
