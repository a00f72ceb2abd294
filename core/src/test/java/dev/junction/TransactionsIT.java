package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.internal.unit.DefaultDatabase;
import dev.junction.lookup.TokenAwareRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transaction budgets, two-phase units and the transaction lints (issue 5). */
@WithEmbeddedCluster(replicas = 1)
class TransactionsIT {
    private static TwoPoolRouter router;
    private static Database db;
    private static Database strict;

    @BeforeAll
    static void start(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table orders (id bigint primary key, item text not null)");
        cluster.primary().execute("create table item (code text primary key, price int not null)");
        cluster.primary().execute("insert into item values ('apple', 3), ('pear', 4)");
        cluster.primary().execute("grant all on orders, item to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(10));
        router = new TwoPoolRouter(cluster, 4);
        db = Junction.builder().router(router).transactionBudget(Duration.ofSeconds(2)).lints(Lints.off()).build();
        strict = Junction.builder().router(router).lints(Lints.strict()).build();
    }

    @AfterAll
    static void stop() {
        strict.close();
        db.close();
    }

    @BeforeEach
    void empty(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("truncate orders");
    }

    @Test
    void aTransactionOverItsBudgetIsRolledBackAndItsConnectionStaysHealthy(EmbeddedPostgresCluster cluster) {
        assertThatThrownBy(() -> db.write(Duration.ofMillis(300), tx -> {
            tx.execute("insert into orders values (1, 'apple')");
            // The server's limit moved far past the library's, so only the library's cancel can stop the sleep and
            // the test knows which fired (issue 24): a cancel says "user request", a statement_timeout does not.
            tx.execute("set local statement_timeout = '60s'");
            tx.fetch("select pg_sleep(5)");
            return null;
        })).isInstanceOf(TransactionBudgetExceededException.class)
                .hasMessageContaining("transaction budget of 300ms exceeded on node 'primary'")
                .hasMessageContaining("while a statement ran (cancelled)")
                .hasRootCauseMessage("ERROR: canceling statement due to user request")
                .hasMessageContaining("rolled back, nothing was committed")
                .hasMessageContaining("#1 +")
                .hasMessageContaining("insert into orders values")
                .hasMessageContaining("FAILED select pg_sleep(?)")
                .hasMessageContaining("db.prepare(...).thenWrite(...)")
                .satisfies(e -> assertThat(((TransactionBudgetExceededException) e).statements()).hasSize(3));

        assertThat(cluster.primary().queryValue("select count(*) from orders")).isEqualTo(0L);
        // The statement was cancelled, not the session: the pool keeps its connection and it works.
        assertThat(router.primary.getHikariPoolMXBean().getActiveConnections()).isZero();
        assertThat(router.primary.getHikariPoolMXBean().getTotalConnections()).isPositive();
        db.write(tx -> tx.execute("insert into orders values (2, 'pear')"));
        assertThat(cluster.primary().queryValue("select count(*) from orders")).isEqualTo(1L);
    }

    @Test
    void workOutsideTheDatabaseThatOverrunsTheBudgetFailsBeforeTheCommit(EmbeddedPostgresCluster cluster) {
        assertThatThrownBy(() -> db.write(Duration.ofMillis(200), tx -> {
            tx.execute("insert into orders values (3, 'apple')");
            Thread.sleep(400); // e.g. an HTTP call while the transaction is open
            return null;
        })).isInstanceOf(TransactionBudgetExceededException.class)
                .hasMessageContaining("before the commit");
        assertThat(cluster.primary().queryValue("select count(*) from orders")).isEqualTo(0L);
    }

    @Test
    void theServersStatementTimeoutStopsAStatementTheLibraryDoesNotWatch() {
        // Issue 24: a statement run on the raw JDBC connection is invisible to the library's cancel, so only the
        // server's statement_timeout (the 1500ms budget) can stop it before its 5s; the server says which limit fired.
        assertThatThrownBy(() -> db.write(Duration.ofMillis(1500), tx -> {
            tx.connection(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_sleep(5)");
                }
            });
            return null;
        })).hasRootCauseInstanceOf(SQLException.class)
                .hasRootCauseMessage("ERROR: canceling statement due to statement timeout")
                .rootCause().satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
    }

    @Test
    void theServerEnforcesTheBudgetInsideTheTransaction() {
        List<String> settings = db.write(Duration.ofMillis(1500), tx -> List.of(
                tx.fetchSingle("select current_setting('statement_timeout')").get(0, String.class),
                tx.fetchSingle("select current_setting('idle_in_transaction_session_timeout')").get(0, String.class),
                tx.fetchSingle("select current_setting('transaction_timeout')").get(0, String.class))).value();
        assertThat(settings).containsExactly("1500ms", "2500ms", "2500ms");
        // SET LOCAL: gone after the transaction.
        String after = db.read(ctx -> ctx.fetchSingle("select current_setting('statement_timeout')").get(0,
                String.class));
        assertThat(after).isEqualTo("0");
    }

    @Test
    void withoutServerSideBudgetTheLibraryStillCancelsAndRollsBack(EmbeddedPostgresCluster cluster) {
        try (Database light = Junction.builder().router(new TwoPoolRouter(cluster, 1)).serverSideBudget(false)
                .lints(Lints.off()).build()) {
            Commit<String> c = light.write(tx -> {
                tx.execute("insert into orders values (30, 'apple')");
                return tx.fetchSingle("select current_setting('statement_timeout')").get(0, String.class);
            });
            assertThat(c.value()).isEqualTo("0");
            assertThat(c.report().roundTrips()).isEqualTo(3); // two statements and the commit
            // Without server limits only the library's cancel can stop the sleep before its 5s: the pre-commit
            // deadline check would say "before the commit", a server timeout would not say "user request" (issue 24).
            assertThatThrownBy(() -> light.write(Duration.ofMillis(300), tx -> tx.fetch("select pg_sleep(5)")))
                    .isInstanceOf(TransactionBudgetExceededException.class)
                    .hasMessageContaining("while a statement ran (cancelled)")
                    .hasRootCauseMessage("ERROR: canceling statement due to user request");
            assertThat(cluster.primary().queryValue("select count(*) from pg_stat_activity where query like"
                    + " 'select pg_sleep%' and state = 'active'")).isEqualTo(0L);
        }
    }

    @Test
    void withoutServerSideBudgetTheLibraryCancelsTheRunningStatementAtTheDeadline(EmbeddedPostgresCluster cluster) {
        // Issue 17 (TransactionBudget split out of WriteGuard): the library's own cancel, not the deadline check
        // before the commit, stops the statement.
        try (Database light = Junction.builder().router(new TwoPoolRouter(cluster, 1)).serverSideBudget(false)
                .lints(Lints.off()).build()) {
            assertThatThrownBy(() -> light.write(Duration.ofMillis(300), tx -> tx.fetch("select pg_sleep(5)")))
                    .isInstanceOf(TransactionBudgetExceededException.class)
                    .hasMessageContaining("while a statement ran (cancelled)")
                    .hasMessageContaining("FAILED select pg_sleep(?)");
        }
    }

    @Test
    void aThousandTransactionsWithinBudgetSeeNoSpuriousTimeout(EmbeddedPostgresCluster cluster) throws Exception {
        AtomicInteger ids = new AtomicInteger(1000);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(threads.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        int id = ids.incrementAndGet();
                        try {
                            db.write(tx -> tx.execute("insert into orders values (?, 'apple')", id));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(failures).isEmpty();
        Object committed = cluster.primary().queryValue("select count(*) from orders");
        assertThat(committed).isEqualTo(1000L);
    }

    @Test
    void aTwoPhaseUnitReadsOutsideTheTransactionThenWritesOnThePrimary(EmbeddedPostgresCluster cluster) {
        Prepared<Pair<Integer, Integer>> prices = db.prepare(
                ctx -> ctx.fetchSingle("select price from item where code = 'apple'").get(0, Integer.class),
                ctx -> ctx.fetchSingle("select price from item where code = 'pear'").get(0, Integer.class));
        Commit<Integer> commit = prices.thenWrite((tx, p) ->
                tx.execute("insert into orders values (?, ?)", 7, "basket " + (p.first() + p.second())));

        assertThat(prices.report().kind()).isEqualTo(UnitReport.Kind.PARALLEL);
        assertThat(prices.report().nodes()).containsOnly(TwoPoolRouter.REPLICA);
        assertThat(commit.report().nodes()).containsExactly(TwoPoolRouter.PRIMARY);
        // The transaction ran only the insert (plus its budget settings and the commit).
        assertThat(commit.report().statementCount()).isEqualTo(1);
        assertThat(cluster.primary().queryValue("select item from orders where id = 7")).isEqualTo("basket 7");
    }

    @Test
    void aTwoPhaseUnitHonoursAConsistencyToken(EmbeddedPostgresCluster cluster) {
        // Issue 24: the replica's replay is paused, so only a read that honours the token (the router then serves
        // it on the primary) sees the row; an eventual read on the replica shows what ignoring the token would see.
        PgNode replica = cluster.replicas().get(0);
        try (TokenAwareRouter tokens = new TokenAwareRouter(cluster, false);
                Database aware = Junction.builder().router(tokens).lints(Lints.off()).build()) {
            cluster.awaitReplication(Duration.ofSeconds(10));
            replica.pauseReplay();
            try {
                Commit<Integer> first = aware.write(tx -> tx.execute("insert into orders values (8, 'pear')"));
                Prepared<Long> eventual = aware.prepare(
                        ctx -> ctx.fetchSingle("select count(*) from orders").get(0, Long.class));
                assertThat(eventual.value()).isZero();
                Prepared<Long> count = aware.prepare(Consistency.after(first.token()),
                        ctx -> ctx.fetchSingle("select count(*) from orders").get(0, Long.class));

                assertThat(count.value()).isEqualTo(1L);
                assertThat(count.report().nodes()).containsExactly(TokenAwareRouter.PRIMARY);
                Commit<Integer> then = count.thenWrite((tx, n) -> tx.execute("insert into orders values (?, ?)",
                        9, "after " + n));
                assertThat(then.report().nodes()).containsExactly(TokenAwareRouter.PRIMARY);
                assertThat(cluster.primary().queryValue("select item from orders where id = 9")).isEqualTo("after 1");
            } finally {
                replica.resumeReplay();
            }
        }
    }

    @Test
    void strictLintRefusesAWriteUnitThatWritesNothing() {
        assertThatThrownBy(() -> strict.write(tx -> tx.fetch("select * from item")))
                .isInstanceOf(LintViolationException.class)
                .hasMessageContaining("lint write-without-writes")
                .hasMessageContaining("Use db.read(...)")
                .satisfies(e -> assertThat(((LintViolationException) e).lint()).isEqualTo("write-without-writes"));
        // The correct shape stays silent.
        assertThat(strict.write(tx -> tx.execute("insert into orders values (9, 'apple')")).report().lints())
                .isEmpty();
    }

    @Test
    void strictLintRefusesALongGapInsideATransaction(EmbeddedPostgresCluster cluster) {
        assertThatThrownBy(() -> strict.write(tx -> {
            tx.execute("insert into orders values (10, 'apple')");
            Thread.sleep(300); // over the 100ms threshold
            return tx.execute("insert into orders values (11, 'pear')");
        })).isInstanceOf(LintViolationException.class)
                .hasMessageContaining("lint transaction-gap")
                .hasMessageContaining("sat idle for");
        assertThat(cluster.primary().queryValue("select count(*) from orders")).isEqualTo(0L);
        // Back-to-back statements are fine.
        assertThat(strict.write(tx -> tx.execute("insert into orders values (12, 'a')")
                + tx.execute("insert into orders values (13, 'b')")).report().lints()).isEmpty();
    }

    @Test
    void lintsSetOffReportNothingForAUnitThatTripsEveryWriteLint(EmbeddedPostgresCluster cluster) {
        // Issue 24: the same unit under the default lints shows what OFF must silence.
        Work<Integer> everything = tx -> {
            for (int i = 0; i < 10; i++) {
                tx.fetch("select price from item where code = ?", "apple"); // a query per row, past the threshold
            }
            Thread.sleep(300); // idle inside the transaction, past the 100ms threshold
            return tx.fetch("select 1").size(); // and no write at all
        };
        try (Database warn = Junction.builder().router(new TwoPoolRouter(cluster, 1)).lints(Lints.defaults())
                        .build();
                Database off = Junction.builder().router(new TwoPoolRouter(cluster, 1)).lints(Lints.off()).build()) {
            assertThat(warn.write(everything).report().lints())
                    .containsExactlyInAnyOrder("n-plus-one", "transaction-gap", "write-without-writes");

            Commit<Integer> quiet = off.write(everything);
            assertThat(quiet.value()).isEqualTo(1);
            assertThat(quiet.report().lints()).isEmpty();
            assertThat(((DefaultDatabase) off).lintCounts()).isEmpty();
        }
    }

    @Test
    void warnLintsLetTheUnitRunAndRecordTheFinding(EmbeddedPostgresCluster cluster) {
        try (Database warn = Junction.builder().router(new TwoPoolRouter(cluster, 1)).lints(Lints.defaults()).build()) {
            Commit<?> c = warn.write(tx -> tx.fetch("select 1"));
            assertThat(c.report().lints()).containsExactly("write-without-writes");
        }
    }
}
