package dev.junction.samples.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.ClusterRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What Junction adds to one read: the same primary-key query on the same replica, once through plain HikariCP and
 * jOOQ, once through {@code db.read} on a {@link ClusterRouter} over the primary and that replica (routing,
 * statement classification, unit-of-work accounting, lints). Both pools have the same size; no added latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutingOverheadBenchmark {
    private static final String QUERY = "select label from item where id = ?";

    private EmbeddedPostgresCluster cluster;
    private HikariDataSource plainPool;
    private DSLContext plain;
    private Database junction;

    @Setup(Level.Trial)
    public void start() {
        cluster = BenchCluster.start();
        BenchCluster.items(cluster);
        PgNode replica = cluster.replicas().get(0);
        plainPool = BenchCluster.pool(cluster, replica.jdbcUrl(), 4);
        plain = DSL.using(plainPool, SQLDialect.POSTGRES);
        PoolSettings pool = PoolSettings.builder().maximumPoolSize(4).minimumIdle(4).build();
        junction = Junction.builder().router(ClusterRouter.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(pool)
                .replicaPool(pool)
                .build())).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        junction.close();
        plainPool.close();
        cluster.close();
    }

    /** The baseline: a HikariCP connection, one jOOQ query, the connection back. */
    @Benchmark
    public Object plainHikariJooq() {
        return plain.fetchValue(QUERY, ThreadLocalRandom.current().nextInt(1, 1001));
    }

    /** The same through Junction: routed to the replica, classified, accounted. */
    @Benchmark
    public Object junctionRead() {
        int id = ThreadLocalRandom.current().nextInt(1, 1001);
        return junction.read(ctx -> ctx.fetchValue(QUERY, id));
    }
}
