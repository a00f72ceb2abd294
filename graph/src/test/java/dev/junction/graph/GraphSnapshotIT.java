package dev.junction.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.ForeignKey;
import org.jooq.Meta;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: the statements of a per-level graph fetch share one REPEATABLE READ snapshot, so writers committing while
 * it runs cannot tear the graph; both when the statements travel in one message ({@code Strategy.perLevel()}) and
 * when they are sent one by one with the parent keys ({@code Strategy.perLevel(n)}). Every write transaction gives one user a tailor with {@code k} sample works (the
 * tailor's city is {@code "k<k>"}) and a document, so in any consistent state every user has as many tailors as
 * documents and every tailor exactly {@code k} works. The graph {@code users{tailors{sampleWorks},
 * documentsByCreatedBy}} is read with one statement per relation; a commit between the tailors statement and the
 * documents statement would show a document without its tailor if the statements saw different snapshots.
 */
class GraphSnapshotIT {
    private static final Path MIGRATIONS = Path.of("src/test/resources/migrations");
    private static final int USERS = 20;

    /**
     * The advisory lock that holds a fetch's sample works statement until the test's writer has committed: the
     * statement's own snapshot is older, the documents statement after it (READ COMMITTED) sees the commit.
     */
    private static final long GATE = 4_212;

    private static EmbeddedPostgresCluster cluster;
    private static GraphQuery<Record> graph;
    /** {@link #graph} whose sample works statement first waits for the {@link #GATE} lock. */
    private static GraphQuery<Record> gated;

    @BeforeAll
    static void start() throws SQLException, IOException {
        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        migrate();
        try (Connection c = cluster.primary().connect()) {
            Meta meta = DSL.using(c, SQLDialect.POSTGRES).meta().snapshot();
            Table<Record> users = table(meta, "users");
            Table<Record> tailor = table(meta, "tailor");
            Table<Record> work = table(meta, "sample_work");
            Table<Record> document = table(meta, "document");
            Relation<Record, Record> tailors = Relation.toMany("tailors", key(tailor, users, "user_id"));
            Relation<Record, Record> works = Relation.toMany("sampleWorks", key(work, tailor, "tailor_id"));
            Relation<Record, Record> documents = Relation.toMany("documentsByCreatedBy",
                    key(document, users, "created_by"));
            graph = GraphQuery.of(users)
                    .with(tailors, GraphQuery.of(tailor).with(works))
                    .with(documents);
            // An uncorrelated subquery: evaluated once, when the sample works statement starts.
            gated = GraphQuery.of(users)
                    .with(tailors, GraphQuery.of(tailor).with(works, GraphQuery.of(work).where(DSL.condition(
                            "(select count(*) from (select pg_advisory_xact_lock_shared(" + GATE + ")) gate) = 1"))))
                    .with(documents);
        }
    }

    /**
     * The schema of codegen's tests (a copy: this module has neither Flyway nor the generator), applied in version
     * order as the application's user, who then owns the tables as with Flyway. pgJDBC runs each file's statements
     * in turn.
     */
    private static void migrate() throws IOException, SQLException {
        List<Path> files;
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
        try (Connection c = cluster.primary().connect(); Statement s = c.createStatement()) {
            for (Path file : files) {
                s.execute(Files.readString(file));
            }
        }
    }

    static List<Strategy> perLevelVariants() {
        return List.of(Strategy.perLevel(), Strategy.perLevel(1_000));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void emptyUsers() {
        cluster.primary().execute("truncate sample_work, document, tailor, \"order\", users restart identity cascade");
        cluster.primary().execute("insert into users (email) select 'u' || i || '@example.com'"
                + " from generate_series(1, " + USERS + ") i");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perLevelVariants")
    void perLevelGraphsAreNeverTornByConcurrentWriters(Strategy perLevel) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long seed = w;
                writers.add(pool.submit(() -> write(seed, stop, commits)));
            }
            List<Future<int[]>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> read(graph.strategy(perLevel), 150, commits)));
            }
            int torn = 0;
            int overlapped = 0;
            for (Future<int[]> reader : readers) {
                int[] result = reader.get(5, TimeUnit.MINUTES);
                torn += result[0];
                overlapped += result[1];
            }
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
            assertThat(overlapped).as("fetches during which a writer committed").isGreaterThan(30);
            assertThat(torn).as("torn graphs out of 300 per-level fetches").isZero();
        } finally {
            stop.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
    }

    /**
     * Deterministic: a writer commits a tailor and a document for every user after the tailors statement and before
     * the documents statement: the sample works statement between them waits for an advisory lock the test holds
     * until the writer has committed. The
     * per-level fetch in its own snapshot does not see them; the same statements in a READ COMMITTED transaction see
     * the documents but not the tailors, which is exactly the torn graph the snapshot exists to prevent.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("perLevelVariants")
    void aCommitBetweenLevelsIsInvisibleToTheSnapshotButTearsReadCommitted(Strategy perLevel) throws Exception {
        List<GraphRow<Record>> snapshot = fetchWhileAWriterCommits(gated.strategy(perLevel), false);
        assertThat(tornUsers(snapshot)).isZero();
        assertThat(snapshot).hasSize(USERS);
        assertThat(snapshot.stream().mapToInt(u -> u.many(relation(u, "tailors")).size()).sum())
                .as("tailors seen: only the one committed before the fetch").isEqualTo(1);

        emptyUsers();
        List<GraphRow<Record>> readCommitted = fetchWhileAWriterCommits(gated.strategy(perLevel), true);
        assertThat(tornUsers(readCommitted)).as("users with documents but not the tailors committed with them")
                .isEqualTo(USERS);
    }

    /**
     * Fetches {@code query} while the test holds the gate lock; once the fetch waits for it (its tailors statement
     * done, its documents statement not started), commits one tailor and document per user, then opens the gate.
     * With {@code callersTransaction} the fetch runs in a READ COMMITTED transaction of the caller's.
     */
    private static List<GraphRow<Record>> fetchWhileAWriterCommits(GraphQuery<Record> query,
            boolean callersTransaction) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection gate = cluster.primary().connect(); Connection reader = cluster.primary().connect()) {
            // One tailor (with one work) before the fetch, so that every level has parents to read children for.
            DSL.using(gate, SQLDialect.POSTGRES).transaction(tx -> insertTailorAndDocument(tx.dsl(), 1, 1));
            DSL.using(gate, SQLDialect.POSTGRES).execute("select pg_advisory_lock(" + GATE + ")");
            Future<List<GraphRow<Record>>> fetch = pool.submit(() -> {
                reader.setAutoCommit(!callersTransaction);
                try {
                    return query.fetch(DSL.using(reader, SQLDialect.POSTGRES));
                } finally {
                    if (callersTransaction) {
                        reader.commit();
                        reader.setAutoCommit(true);
                    }
                }
            });
            DSLContext g = DSL.using(gate, SQLDialect.POSTGRES);
            for (int i = 0; waiting(g) == 0; i++) {
                assertThat(fetch.isDone()).as("the fetch is waiting for the gate").isFalse();
                assertThat(i).as("polls until the fetch waits for the gate").isLessThan(60_000);
                Thread.sleep(1);
            }
            try (Connection writer = cluster.primary().connect()) {
                DSLContext w = DSL.using(writer, SQLDialect.POSTGRES);
                for (int user = 1; user <= USERS; user++) {
                    long u = user;
                    w.transaction(tx -> insertTailorAndDocument(tx.dsl(), u, 1));
                }
            }
            g.execute("select pg_advisory_unlock(" + GATE + ")");
            return fetch.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
    }

    /** Sessions waiting for an advisory lock. */
    private static int waiting(DSLContext ctx) {
        Object n = ctx.fetchValue("select count(*) from pg_locks where locktype = 'advisory' and not granted");
        return n == null ? 0 : ((Number) n).intValue();
    }

    private static void write(long seed, AtomicBoolean stop, AtomicLong commits) {
        Random random = new Random(seed);
        try (Connection c = cluster.primary().connect()) {
            DSLContext ctx = DSL.using(c, SQLDialect.POSTGRES);
            while (!stop.get()) {
                ctx.transaction(tx -> {
                    DSLContext t = tx.dsl();
                    long user;
                    if (random.nextInt(5) == 0) { // a new parent together with its children
                        user = ((Number) t.fetchValue("insert into users (email) values (?) returning id",
                                "new-" + seed + "-" + random.nextLong() + "@example.com")).longValue();
                    } else {
                        user = 1 + random.nextInt(USERS);
                    }
                    insertTailorAndDocument(t, user, random.nextInt(4));
                });
                commits.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insertTailorAndDocument(DSLContext t, long user, int works) {
        long tailor = ((Number) t.fetchValue("insert into tailor (user_id, city) values (?, ?) returning id", user,
                "k" + works)).longValue();
        for (int i = 0; i < works; i++) {
            t.execute("insert into sample_work (tailor_id, title, code) values (?, ?, gen_random_uuid())", tailor,
                    "work " + i);
        }
        t.execute("insert into document (title, created_by) values (?, ?)", "doc of tailor " + tailor, user);
    }

    /** Reads {@code fetches} graphs in autocommit mode; returns {torn graphs, fetches that overlapped a commit}. */
    private static int[] read(GraphQuery<Record> graph, int fetches, AtomicLong commits) throws SQLException {
        int torn = 0;
        int overlapped = 0;
        try (Connection c = cluster.primary().connect()) {
            DSLContext ctx = DSL.using(c, SQLDialect.POSTGRES);
            for (int i = 0; i < fetches; i++) {
                long before = commits.get();
                List<GraphRow<Record>> users = graph.fetch(ctx);
                overlapped += commits.get() > before ? 1 : 0;
                torn += tornUsers(users) > 0 ? 1 : 0;
                assertThat(c.getAutoCommit()).as("autocommit restored after the snapshot").isTrue();
            }
        }
        return new int[] {torn, overlapped};
    }

    /** Users whose graph breaks the writers' invariant. */
    private static int tornUsers(List<GraphRow<Record>> users) {
        int torn = 0;
        for (GraphRow<Record> user : users) {
            List<GraphRow<Record>> tailors = user.many(relation(user, "tailors"));
            boolean ok = tailors.size() == user.many(relation(user, "documentsByCreatedBy")).size();
            for (GraphRow<Record> tailor : tailors) {
                int k = Integer.parseInt(tailor.record().get("city", String.class).substring(1));
                ok &= tailor.many(relation(tailor, "sampleWorks")).size() == k;
            }
            torn += ok ? 0 : 1;
        }
        return torn;
    }

    @SuppressWarnings("unchecked")
    private static Relation<Record, Record> relation(GraphRow<Record> row, String name) {
        for (Relation<Record, ?> r : row.fetched()) {
            if (r.name().equals(name)) {
                return (Relation<Record, Record>) r;
            }
        }
        throw new IllegalArgumentException("no fetched relation " + name);
    }

    @SuppressWarnings("unchecked")
    private static Table<Record> table(Meta meta, String name) {
        return (Table<Record>) meta.getSchemas("public").get(0).getTable(name);
    }

    @SuppressWarnings("unchecked")
    private static ForeignKey<Record, Record> key(Table<Record> from, Table<Record> to, String column) {
        for (ForeignKey<Record, ?> fk : from.getReferences()) {
            if (fk.getKey().getTable().getName().equals(to.getName()) && fk.getFields().size() == 1
                    && fk.getFields().get(0).getName().equals(column)) {
                return (ForeignKey<Record, Record>) fk;
            }
        }
        throw new IllegalStateException("no foreign key " + from.getName() + "." + column);
    }
}
