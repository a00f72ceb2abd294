package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.spi.NodeRef;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.CacheType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The unit-of-work API on a real primary and replica (issue 3). */
@WithEmbeddedCluster(replicas = 2)
class DatabaseIT {
    private static final Table<Record> ITEMS = table("items");
    private static final Field<Long> ID = field("id", Long.class);
    private static final Field<String> LABEL = field("label", String.class);

    private static TwoPoolRouter router;
    private static Database db;

    @BeforeAll
    static void start(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table items (id bigint primary key, label text not null)");
        cluster.primary().execute("create sequence item_ids");
        cluster.primary().execute("grant all on items, item_ids to " + cluster.user());
        router = new TwoPoolRouter(cluster, 4);
        db = Junction.builder().router(router).build();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void empty(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("truncate items");
        cluster.awaitReplication(Duration.ofSeconds(10));
        router.requests.clear();
        router.releases.clear();
    }

    @Test
    void readsRunOnTheReplicaWithoutATransactionAndWritesOnThePrimary() {
        Boolean readInRecovery = db.read(ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
        Commit<Boolean> write = db.write(ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
        // now() is the transaction's start: it moves between statements only when each runs in its own transaction.
        Boolean ownTransactions = db.read(ctx -> {
            Object first = ctx.fetchSingle("select now()").get(0);
            ctx.fetch("select pg_sleep(0.01)");
            return !first.equals(ctx.fetchSingle("select now()").get(0));
        });

        assertThat(readInRecovery).isTrue();
        assertThat(write.value()).isFalse();
        assertThat(write.report().nodes()).containsExactly(TwoPoolRouter.PRIMARY);
        // Autocommit: no transaction is held open around the read.
        assertThat(ownTransactions).isTrue();
    }

    record Labelled(long id, String label) {
    }

    @Test
    void jooqsRecordMapperCacheSurvivesFromOneUnitOfWorkToTheNext(EmbeddedPostgresCluster cluster) {
        // A strong read is served by the primary (TwoPoolRouter), so it sees the row whatever the replica replayed;
        // with replay paused, a strong read that reached the replica would fail every time, not only on a busy day.
        PgNode replica = cluster.replicas().get(0);
        replica.pauseReplay();
        Object first;
        try {
            db.write(ctx -> ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "one").execute());
            first = db.read(Consistency.strong(), ctx -> {
                assertThat(ctx.select(ID, LABEL).from(ITEMS).fetchInto(Labelled.class))
                        .containsExactly(new Labelled(1L, "one"));
                return ctx.configuration().data(CacheType.CACHE_RECORD_MAPPERS);
            });
        } finally {
            replica.resumeReplay();
        }
        Object next = db.read(ctx -> ctx.configuration().data(CacheType.CACHE_RECORD_MAPPERS));
        Object write = db.write(ctx -> ctx.configuration().data(CacheType.CACHE_RECORD_MAPPERS)).value();

        // Each lease works on its own derived configuration; the reflection cache must still be the one map.
        assertThat(first).as("the cache jOOQ created for the first mapping").isNotNull();
        assertThat(next).isSameAs(first);
        assertThat(write).isSameAs(first);
    }

    @Test
    void readsInsideAWriteUseTheTransactionsConnectionAndSeeItsWrites() {
        Commit<Integer> commit = db.write(ctx -> {
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "mine").execute();
            return ctx.fetchCount(ITEMS);
        });
        assertThat(commit.value()).isEqualTo(1);
        assertThat(commit.report().connections()).hasSize(1);
    }

    @Test
    void aWriteInAReadScopeIsRefusedBeforeTheServerAndNothingIsWritten(EmbeddedPostgresCluster cluster) {
        assertThatThrownBy(() -> db.read(ctx -> ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "x").execute()))
                .isInstanceOf(WriteInReadScopeException.class)
                .hasMessageStartingWith("Write statement refused in a read scope: insert into items")
                .hasMessageContaining("Use db.write(...)")
                .hasMessageNotContaining("'x'");
        assertThatThrownBy(() -> db.read(ctx -> ctx.insertInto(ITEMS).columns(ID, LABEL).values(2L, "y")
                .returning(ID).fetch()))
                .isInstanceOf(WriteInReadScopeException.class);
        assertThatThrownBy(() -> db.read(ctx -> ctx.selectFrom(ITEMS).forUpdate().fetch()))
                .isInstanceOf(WriteInReadScopeException.class).hasMessageContaining("for update");
        assertThatThrownBy(() -> db.read(ctx -> ctx.execute("/* plain */ delete from items")))
                .isInstanceOf(WriteInReadScopeException.class);
        assertThatThrownBy(() -> db.read(ctx -> ctx.fetch(
                "with moved as (update items set label = 'z' returning id) select * from moved")))
                .isInstanceOf(WriteInReadScopeException.class);

        cluster.awaitReplication(Duration.ofSeconds(10));
        assertThat(cluster.primary().queryValue("select count(*) from items")).isEqualTo(0L);
        assertThat(cluster.replicas().get(0).queryValue("select count(*) from items")).isEqualTo(0L);
    }

    @Test
    void aWriteTheClassifierCannotSeeIsStoppedByTheReadOnlyReplicaConnection() {
        // nextval() looks like a read to any classifier; the replica pool's readOnlyMode=always is the backstop.
        assertThatThrownBy(() -> db.read(ctx -> ctx.fetchValue("select nextval('item_ids')")))
                .isInstanceOf(WriteInReadScopeException.class)
                .hasMessageContaining("SQLState 25006");
    }

    @Test
    void aFailedWriteIsRolledBackAndTheOriginalExceptionReachesTheCaller(EmbeddedPostgresCluster cluster) {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> db.write(ctx -> {
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "half").execute();
            throw boom;
        })).isSameAs(boom);

        assertThat(cluster.primary().queryValue("select count(*) from items")).isEqualTo(0L);
        assertThat(router.activeConnections()).isZero();
        assertThat(db.write(ctx -> ctx.fetchValue("select current_setting('transaction_read_only')")).value())
                .isEqualTo("off");
    }

    @Test
    void aNestedTransactionInsideAWriteIsASavepoint(EmbeddedPostgresCluster cluster) {
        db.write(ctx -> {
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "kept").execute();
            try {
                ctx.transaction(nested -> {
                    nested.dsl().insertInto(ITEMS).columns(ID, LABEL).values(2L, "undone").execute();
                    throw new IllegalStateException("undo the nested part");
                });
            } catch (IllegalStateException expected) {
                // the savepoint was rolled back; the outer transaction goes on
            }
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(3L, "also kept").execute();
            return null;
        });
        assertThat(cluster.primary().query("select id from items order by id"))
                .extracting(row -> row.get("id")).containsExactly(1L, 3L);
    }

    @Test
    void parallelReadsReturnTypedResultsEachOnItsOwnConnection() {
        // Both hold their connection for a while, so they overlap: each must have had its own.
        Pair<Integer, String> pair = db.parallel(
                ctx -> ctx.fetchSingle("select pg_backend_pid() from pg_sleep(0.3)").get(0, Integer.class),
                ctx -> ctx.fetchSingle("select pg_backend_pid()::text from pg_sleep(0.3)").get(0, String.class));
        Triple<Integer, Integer, Boolean> triple = db.parallel(
                ctx -> 1,
                ctx -> ctx.fetchSingle("select 2").get(0, Integer.class),
                ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
        List<Integer> all = db.parallelAll(List.<Work<Integer>>of(ctx -> 10, ctx -> 20, ctx -> 30));

        assertThat(Integer.parseInt(pair.second())).isNotEqualTo(pair.first());
        assertThat(triple).isEqualTo(new Triple<>(1, 2, true));
        assertThat(all).containsExactly(10, 20, 30);
    }

    @Test
    void theSiblingsOfAParallelGroupAllReadOnTheFirstSiblingsReplica(EmbeddedPostgresCluster cluster) {
        try (RotatingReplicasRouter rotating = new RotatingReplicasRouter(cluster, 4);
                Database spread = Junction.builder().router(rotating).build()) {
            // Unpinned reads rotate over the two replicas, so only pinning can keep a group's siblings together.
            NodeRef one = spread.readReported(ctx -> 1).report().nodes().get(0);
            NodeRef two = spread.readReported(ctx -> 2).report().nodes().get(0);
            assertThat(one).isNotEqualTo(two);
            rotating.requests.clear();

            Reported<Pair<Integer, Integer>> ports = spread.parallelReported(
                    ctx -> ctx.fetchSingle("select inet_server_port()").get(0, Integer.class),
                    ctx -> ctx.fetchSingle("select inet_server_port()").get(0, Integer.class));

            assertThat(ports.report().nodes()).hasSize(1);
            String first = ports.report().nodes().get(0).name();
            assertThat(rotating.requests).filteredOn(r -> r.pinned() != null).isNotEmpty()
                    .allMatch(r -> first.equals(r.pinned()));
            // The server each sibling really ran on, not only what the router reported.
            assertThat(ports.value().second()).isEqualTo(ports.value().first());
        }
    }

    @Test
    void whenOneParallelReadFailsItsSiblingRunningOnTheServerIsCancelledThere(EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(0);
        String sleeping = "select pid from pg_stat_activity where state = 'active'"
                + " and query like '%junction-sleeper%' and pid <> pg_backend_pid()";
        AtomicReference<Throwable> sleeperSaw = new AtomicReference<>();
        AtomicReference<Object> sleeperPid = new AtomicReference<>();
        IllegalArgumentException failure = new IllegalArgumentException("sibling failed");
        assertThatThrownBy(() -> db.parallel(
                sleeper("junction-sleeper", sleeperSaw),
                ctx -> {
                    // Fail only once the sleeper runs on the server, so there is a statement to cancel there.
                    sleeperPid.set(awaitRunning(replica, sleeping).get(0).get("pid"));
                    throw failure;
                })).isSameAs(failure);

        // The sleeper was stopped by a cancel on the server (SQLState 57014), not left to finish its 30s.
        assertThat(sleeperSaw.get()).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("canceling statement due to user request")
                .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo("57014"));
        assertThat(replica.queryValue("select state from pg_stat_activity where pid = ?", sleeperPid.get()))
                .isNotEqualTo("active");
        assertThat(router.activeConnections()).isZero();
    }

    /** A work that sleeps 30 s on the server, its statement marked by {@code marker}, and records what stopped it. */
    private static Work<Object> sleeper(String marker, AtomicReference<Throwable> saw) {
        return ctx -> {
            try {
                return ctx.fetchValue("select pg_sleep(30) /* " + marker + " */");
            } catch (RuntimeException e) {
                saw.set(e);
                throw e;
            }
        };
    }

    /** The rows of {@code query} on {@code node} once there are any, polling every 20 ms. */
    private static List<Map<String, Object>> awaitRunning(PgNode node, String query) throws InterruptedException {
        List<Map<String, Object>> running = node.query(query);
        while (running.isEmpty()) {
            Thread.sleep(20);
            running = node.query(query);
        }
        return running;
    }

    @Test
    void theLastWorkOfAGroupRunsOnTheCallersThreadAndTheOthersOnTheirOwn() {
        Thread caller = Thread.currentThread();
        Triple<Thread, Thread, Thread> ran = db.parallel(ctx -> Thread.currentThread(), ctx -> Thread.currentThread(),
                ctx -> Thread.currentThread());
        assertThat(ran.third()).as("the last work's thread").isSameAs(caller);
        assertThat(ran.first()).as("the first work's thread").isNotSameAs(caller).isNotSameAs(ran.second());
        assertThat(ran.second()).as("the second work's thread").isNotSameAs(caller);
        assertThat(caller.isInterrupted()).as("the caller left uninterrupted").isFalse();
    }

    @Test
    void whenOneParallelReadFailsTheLastWorkRunningOnTheCallersThreadIsCancelledOnTheServer(
            EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(0);
        String sleeping = "select pid from pg_stat_activity where state = 'active'"
                + " and query like '%junction-last-sleeper%' and pid <> pg_backend_pid()";
        AtomicReference<Throwable> sleeperSaw = new AtomicReference<>();
        IllegalArgumentException failure = new IllegalArgumentException("first work failed");
        assertThatThrownBy(() -> db.parallel(
                ctx -> {
                    // Fail only once the last work's statement runs on the server, so there is one to cancel.
                    awaitRunning(replica, sleeping);
                    throw failure;
                },
                sleeper("junction-last-sleeper", sleeperSaw))).isSameAs(failure);

        assertThat(sleeperSaw.get()).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("canceling statement due to user request");
        assertThat(Thread.currentThread().isInterrupted()).as("the caller left uninterrupted").isFalse();
        assertThat(router.activeConnections()).isZero();
    }

    @Test
    void aReadThatLosesItsConnectionIsRetriedOnceOnAnotherNode() {
        AtomicInteger attempts = new AtomicInteger();
        Reported<Boolean> result = db.readReported(ctx -> {
            if (attempts.incrementAndGet() == 1) {
                ctx.fetch("select pg_terminate_backend(pg_backend_pid())");
            }
            return ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class);
        });

        assertThat(attempts).hasValue(2);
        assertThat(result.value()).isFalse(); // the retry excluded replica-1 and went to the primary
        assertThat(result.report().retries()).isEqualTo(1);
        assertThat(router.requests.get(1).excluded()).containsExactly(TwoPoolRouter.REPLICA.name());
        assertThat(router.releases.get(0)).isNotNull();
    }

    @Test
    void writesAreNeverRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> db.write(ctx -> {
            attempts.incrementAndGet();
            return ctx.fetch("select pg_terminate_backend(pg_backend_pid())");
        })).isInstanceOf(WriteInterruptedException.class)
                .hasMessageContaining("write on node 'primary' lost its connection (SQLState 57P01) before its commit")
                .hasMessageContaining("it was not retried")
                .satisfies(e -> assertThat(((WriteInterruptedException) e).isRetryable()).isTrue());
        assertThat(attempts).hasValue(1);
    }

    @Test
    void theUnitReportCountsStatementsRoundTripsAndConnectionHoldTime() {
        Commit<Integer> commit = db.write(ctx -> {
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(1L, "a").execute();
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(2L, "b").execute();
            return ctx.fetchCount(ITEMS);
        });
        UnitReport report = commit.report();
        assertThat(report.kind()).isEqualTo(UnitReport.Kind.WRITE);
        assertThat(report.statementCount()).isEqualTo(3);
        // Three statements and the commit, plus the budget's session settings when this connection had none (issue 25).
        assertThat(report.roundTrips()).isBetween(4, 5);
        assertThat(report.statements()).extracting(UnitReport.StatementReport::sql)
                .allMatch(sql -> !sql.contains("'a'") && !sql.contains("'b'"));
        assertThat(report.connectionHoldTime()).isPositive().isLessThanOrEqualTo(report.duration());

        Reported<Integer> read = db.readReported(ctx -> ctx.fetchCount(ITEMS));
        assertThat(read.report().roundTrips()).isEqualTo(1);
        assertThat(read.report().routeReasons()).containsExactly("replica");
    }

    @Test
    void aSingleDataSourceServesReadsAndWritesAndStillRefusesWritesInReads(EmbeddedPostgresCluster cluster) {
        try (HikariDataSource ds = TwoPoolRouter.pool(cluster, cluster.primary(), 2, false);
             Database single = Junction.builder().dataSource(ds).build()) {
            single.write(ctx -> ctx.insertInto(ITEMS).columns(ID, LABEL).values(7L, "single").execute());
            String label = single.read(ctx -> ctx.fetchSingle("select label from items where id = 7").get(0, String.class));
            assertThat(label).isEqualTo("single");
            assertThatThrownBy(() -> single.read(ctx -> ctx.deleteFrom(ITEMS).execute()))
                    .isInstanceOf(WriteInReadScopeException.class);
            assertThat(cluster.primary().queryValue("select count(*) from items")).isEqualTo(1L);
        }
    }

    @Test
    void aCommitCarriesATokenOfItsClusterAtOrAfterItsWalPosition(EmbeddedPostgresCluster cluster) {
        Commit<Integer> commit = db.write(ctx -> ctx.insertInto(ITEMS).columns(ID, LABEL).values(11L, "t").execute());
        ConsistencyToken token = commit.token();

        long after = ConsistencyToken.parseLsn((String) cluster.primary().queryValue("select pg_current_wal_lsn()::text"));
        assertThat(Long.compareUnsigned(token.lsn(), after)).isLessThanOrEqualTo(0);
        assertThat(token.systemIdentifier()).isEqualTo(cluster.primary()
                .queryValue("select system_identifier from pg_control_system()"));
        assertThat(token.timeline()).isEqualTo(1);
        // Once the replica has replayed the token's position, it shows the row.
        cluster.awaitReplication(Duration.ofSeconds(10));
        long replayed = ConsistencyToken.parseLsn((String) cluster.replicas().get(0)
                .queryValue("select pg_last_wal_replay_lsn()::text"));
        assertThat(Long.compareUnsigned(replayed, token.lsn())).isGreaterThanOrEqualTo(0);
        assertThat(cluster.replicas().get(0).queryValue("select count(*) from items where id = 11")).isEqualTo(1L);
        // Commit and position share one round trip: one statement, the commit (and the budget's session settings on a
        // connection that had none, issue 25).
        assertThat(commit.report().roundTrips()).isBetween(2, 3);
    }

    @Test
    void aWriteWhoseTransactionWasAbortedByASwallowedErrorFailsAndAppliesNothing(EmbeddedPostgresCluster cluster) {
        assertThatThrownBy(() -> db.write(ctx -> {
            ctx.insertInto(ITEMS).columns(ID, LABEL).values(21L, "lost").execute();
            try {
                ctx.fetch("select 1 / 0");
            } catch (DataAccessException swallowed) {
                // the work hides the error; the server has aborted the transaction anyway
            }
            return null;
        })).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("commit failed")
                .hasMessageContaining("the transaction was rolled back");
        assertThat(cluster.primary().queryValue("select count(*) from items where id = 21")).isEqualTo(0L);
    }

    @Test
    void builderErrorsNameTheField() {
        assertThatThrownBy(() -> Junction.builder().build()).hasMessageContaining("dataSource or router must be set");
        assertThatThrownBy(() -> Junction.builder().parallelism(0))
                .hasMessageContaining("parallelism must be >= 1, but was 0");
    }
}
