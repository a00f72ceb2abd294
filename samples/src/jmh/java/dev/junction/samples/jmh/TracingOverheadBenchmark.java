package dev.junction.samples.jmh;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What tracing adds to one read (issue 22): the routing overhead's primary-key query on the same replica, through
 * plain HikariCP + jOOQ, through a Database without an observation registry ({@code untraced}) and through one whose
 * registry has Micrometer Tracing's handler over {@link Tracer#NOOP} ({@code traced}: every unit, acquisition and
 * statement observation is created, keyed and stopped; the tracer records nothing, so what is measured is
 * Junction's instrumentation, not an exporter). Each on one thread and on {@value #CONTENDED} threads sharing pools
 * of 4. The two Databases have their own pools of the same size over the same replica, so each call's connection
 * is warm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TracingOverheadBenchmark {
    /** Threads of the contended variants: twice the pool, so calls queue for connections as a busy service does. */
    static final int CONTENDED = 8;
    private static final String QUERY = "select label from item where id = ?";

    private EmbeddedPostgresCluster cluster;
    private HikariDataSource plainPool;
    private DSLContext plain;
    private Database off;
    private Database traced;

    @Setup(Level.Trial)
    public void start() {
        cluster = BenchCluster.start();
        BenchCluster.items(cluster);
        plainPool = BenchCluster.pool(cluster, cluster.replicas().get(0).jdbcUrl(), 4);
        plain = DSL.using(plainPool, SQLDialect.POSTGRES);
        off = database(cluster, null);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(Tracer.NOOP));
        traced = database(cluster, registry);
    }

    static Database database(EmbeddedPostgresCluster cluster, @Nullable ObservationRegistry registry) {
        PgNode replica = cluster.replicas().get(0);
        PoolSettings pool = PoolSettings.builder().maximumPoolSize(4).minimumIdle(4).build();
        Junction.Builder builder = Junction.builder().router(ClusterRouter.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(pool)
                .replicaPool(pool)
                .build()));
        if (registry != null) {
            builder.observationRegistry(registry);
        }
        return builder.build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        try {
            off.close();
            traced.close();
            plainPool.close();
        } finally {
            cluster.close();
        }
    }

    /** The baseline: a HikariCP connection, one jOOQ query, the connection back. */
    @Benchmark
    @Threads(1)
    public Object plainRead() {
        return plain.fetchValue(QUERY, ThreadLocalRandom.current().nextInt(1, 1001));
    }

    /** A read through a Database without an observation registry: the routing overhead's {@code junctionRead}. */
    @Benchmark
    @Threads(1)
    public Object untraced() {
        return read(off);
    }

    /** The same read, traced: a unit, an acquisition and a statement observation. */
    @Benchmark
    @Threads(1)
    public Object traced() {
        return read(traced);
    }

    @Benchmark
    @Threads(CONTENDED)
    public Object untracedContended() {
        return read(off);
    }

    @Benchmark
    @Threads(CONTENDED)
    public Object tracedContended() {
        return read(traced);
    }

    Object read(Database db) {
        int id = ThreadLocalRandom.current().nextInt(1, 1001);
        return db.read(ctx -> ctx.fetchValue(QUERY, id));
    }

    Object readOff() {
        return read(off);
    }

    Object readTraced() {
        return read(traced);
    }
}
