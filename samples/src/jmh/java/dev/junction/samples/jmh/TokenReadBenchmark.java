package dev.junction.samples.jmh;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.ClusterRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * The cost of reading after a consistency token, on a primary and one replica without added latency:
 * <ul>
 *   <li>{@code eventualRead}: the baseline, any replica;</li>
 *   <li>{@code tokenReadCaughtUp}: after a token the monitor already knows the replica has replayed (the common case
 *       for a token a client carries from an earlier request): no extra round trip;</li>
 *   <li>{@code strongRead}: on the primary;</li>
 *   <li>{@code writeThenTokenRead} against {@code write}: the read right after its own write, which usually checks
 *       the replica's replay position first (one extra round trip, sometimes a short wait or the primary).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenReadBenchmark {
    private static final String QUERY = "select label from item where id = ?";

    private EmbeddedPostgresCluster cluster;
    private Database db;
    private ConsistencyToken oldToken;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        cluster = BenchCluster.start();
        BenchCluster.items(cluster);
        PgNode replica = cluster.replicas().get(0);
        PoolSettings pool = PoolSettings.builder().maximumPoolSize(4).minimumIdle(4).build();
        db = Junction.builder().router(ClusterRouter.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(pool)
                .replicaPool(pool)
                .monitorInterval(Duration.ofMillis(100))
                .build())).build();
        oldToken = write().token();
        cluster.awaitReplication(Duration.ofSeconds(30));
        Thread.sleep(500); // a few monitor rounds: the router knows the replica has the token
    }

    @TearDown(Level.Trial)
    public void stop() {
        db.close();
        cluster.close();
    }

    private static int id() {
        return ThreadLocalRandom.current().nextInt(1, 1001);
    }

    @Benchmark
    public Object eventualRead() {
        int id = id();
        return db.read(ctx -> ctx.fetchValue(QUERY, id));
    }

    @Benchmark
    public Object tokenReadCaughtUp() {
        int id = id();
        return db.read(Consistency.after(oldToken), ctx -> ctx.fetchValue(QUERY, id));
    }

    @Benchmark
    public Object strongRead() {
        int id = id();
        return db.read(Consistency.strong(), ctx -> ctx.fetchValue(QUERY, id));
    }

    @Benchmark
    public Commit<Integer> write() {
        int id = id();
        return db.write(tx -> tx.execute("update item set label = label where id = ?", id));
    }

    @Benchmark
    public Object writeThenTokenRead() {
        Commit<Integer> c = write();
        int id = id();
        return db.read(Consistency.after(c.token()), ctx -> ctx.fetchValue(QUERY, id));
    }
}
