package dev.junction.samples.jmh;

import static dev.junction.samples.service.db.Tables.GROUPS;
import static dev.junction.samples.service.db.Tables.MEMBERSHIP;
import static dev.junction.samples.service.db.Tables.USERS;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Lints;
import dev.junction.samples.service.SampleData;
import dev.junction.samples.service.db.graphs.MembershipGraph;
import dev.junction.samples.service.db.graphs.UsersGraph;
import dev.junction.samples.service.db.tables.records.GroupsRecord;
import dev.junction.samples.service.db.tables.records.MembershipRecord;
import dev.junction.samples.service.db.tables.records.UsersRecord;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jooq.Condition;
import org.jooq.Record2;
import org.jooq.Result;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The sample service's search, 20 users with their memberships and each membership's group, in three shapes
 * through the testkit proxy at {@code roundTripMicros} added per round trip: the generated graph fetch (one
 * statement), list then one query per relation (three statements), and N+1 (a query per user and per membership).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GraphFetchBenchmark {
    private static final int PAGE = 20;
    /** Users whose id is in a band: the same 20 roots for every shape, found by the primary key. */
    private static final Condition ROOTS = USERS.ID.between(1001L, (long) 1000 + PAGE);

    @Param({"0", "1000"})
    public int roundTripMicros;

    private EmbeddedPostgresCluster cluster;
    private HikariDataSource pool;
    private Database db;

    @Setup(Level.Trial)
    public void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        SampleData.migrate(BenchCluster.direct(cluster, cluster.primary().jdbcUrl()));
        SampleData.seed(BenchCluster.direct(cluster, cluster.primary().jdbcUrl()), 5_000, 200);
        cluster.primary().proxy().latency(Duration.ofNanos(roundTripMicros * 500L));
        pool = BenchCluster.pool(cluster, cluster.primary().proxiedJdbcUrl(), 2);
        db = Junction.builder().dataSource(pool).lints(Lints.off()).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        db.close();
        pool.close();
        cluster.close();
    }

    /** One statement: users, memberships and groups nested by MULTISET. */
    @Benchmark
    public List<UsersGraph.Node> graphFetch() {
        return db.read(ctx -> UsersGraph.query()
                .withMemberships(MembershipGraph.query().withGroup().orderBy(MEMBERSHIP.GROUP_ID))
                .where(ROOTS).orderBy(USERS.ID).fetch(ctx));
    }

    /** Three statements: the users, their memberships, the groups of those. */
    @Benchmark
    public Object listThenRelations() {
        return db.read(ctx -> {
            Result<UsersRecord> users = ctx.selectFrom(USERS).where(ROOTS).orderBy(USERS.ID).fetch();
            Result<MembershipRecord> memberships = ctx.selectFrom(MEMBERSHIP)
                    .where(MEMBERSHIP.USER_ID.in(users.getValues(USERS.ID)))
                    .orderBy(MEMBERSHIP.USER_ID, MEMBERSHIP.GROUP_ID).fetch();
            Map<Long, GroupsRecord> groups = ctx.selectFrom(GROUPS)
                    .where(GROUPS.ID.in(memberships.getValues(MEMBERSHIP.GROUP_ID))).fetchMap(GROUPS.ID);
            return List.of(users, memberships, groups);
        });
    }

    /** 1 + N + M statements: the users, then the memberships of each user, then the group of each membership. */
    @Benchmark
    public Object nPlusOne() {
        return db.read(ctx -> {
            List<Object> out = new ArrayList<>();
            for (UsersRecord u : ctx.selectFrom(USERS).where(ROOTS).orderBy(USERS.ID).fetch()) {
                for (MembershipRecord m : ctx.selectFrom(MEMBERSHIP).where(MEMBERSHIP.USER_ID.eq(u.getId()))
                        .orderBy(MEMBERSHIP.GROUP_ID).fetch()) {
                    Record2<Long, String> g = ctx.select(GROUPS.ID, GROUPS.NAME).from(GROUPS)
                            .where(GROUPS.ID.eq(m.getGroupId())).fetchOne();
                    out.add(List.of(u, m, String.valueOf(g)));
                }
            }
            return out;
        });
    }
}
