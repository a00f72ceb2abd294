package dev.junction.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.LintMode;
import dev.junction.LintViolationException;
import dev.junction.Lints;
import dev.junction.UnitListener;
import dev.junction.internal.unit.DefaultDatabase;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Lookups (reference data) on a real primary and replica (issue 5). */
@WithEmbeddedCluster(replicas = 1)
class LookupsIT {
    private static final Table<Record> ROLE = table(name("role"));
    private static final Table<Record> COUNTRY = table(name("country"));
    private static final Table<Record> STAMPEDE = table(name("stampede"));
    private static final Table<Record> ORDERS = table(name("orders"));
    private static final Field<String> CODE = field(name("code"), String.class);
    private static final Field<String> LABEL = field(name("label"), String.class);
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> ROLE_CODE = field(name("role_code"), String.class);

    record Country(String code, String label) {
    }

    private static final LookupTable<String, Record> ROLES = LookupTable.of(ROLE, CODE);
    private static final LookupTable<String, Country> COUNTRIES = LookupTable.of(COUNTRY, CODE,
            r -> new Country(r.get(CODE), r.get(LABEL)));
    private static final LookupTable<String, Record> STAMPEDES = LookupTable.of(STAMPEDE, CODE);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One app instance: a Database with its own pools. */
    record Instance(Database db, TokenAwareRouter router) implements AutoCloseable {
        LookupCache lookups() {
            return db.lookups();
        }

        @Override
        public void close() {
            db.close();
        }
    }

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create extension if not exists pg_stat_statements");
        cluster.primary().execute("create table role (code text primary key, label text not null)");
        cluster.primary().execute("create table country (code text primary key, label text not null)");
        cluster.primary().execute("create table stampede (code text primary key, label text not null)");
        cluster.primary().execute("create table orders (id bigint primary key, role_code text"
                + " references role (code) deferrable initially deferred)");
        cluster.primary().execute("grant all on role, country, stampede, orders to " + cluster.user());
    }

    @BeforeEach
    void data(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("truncate orders, role, country, stampede;"
                + " insert into role values ('admin', 'Administrator'), ('user', 'User');"
                + " insert into country values ('de', 'Germany'), ('fr', 'France');"
                + " insert into stampede values ('a', 'alpha'), ('b', 'beta')");
        cluster.awaitReplication(PATIENCE);
    }

    private static Instance instance(EmbeddedPostgresCluster cluster, boolean dedicatedListener, Lints lints,
            UnitListener... listeners) {
        return instance(cluster, dedicatedListener, lints, Lookups.builder(), listeners);
    }

    private static Instance instance(EmbeddedPostgresCluster cluster, boolean dedicatedListener, Lints lints,
            Lookups.Builder lookups, UnitListener... listeners) {
        TokenAwareRouter router = new TokenAwareRouter(cluster, dedicatedListener);
        Junction.Builder builder = Junction.builder().router(router).lints(lints)
                .lookups(lookups.table(ROLES).table(COUNTRIES).table(STAMPEDES).build());
        for (UnitListener listener : listeners) {
            builder.unitListener(listener);
        }
        return new Instance(builder.build(), router);
    }

    private static Instance instance(EmbeddedPostgresCluster cluster, boolean dedicatedListener) {
        return instance(cluster, dedicatedListener, Lints.off());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting " + PATIENCE.toSeconds() + "s for: " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private static void awaitListening(Instance instance) {
        await("the lookup listener to listen", () -> instance.lookups().stats().listening());
    }

    private static String label(Instance instance, String code) {
        return instance.lookups().get(ROLES).require(code).get(LABEL);
    }

    // ---- single-flight loading ----

    @Test
    void thousandConcurrentColdLookupsCauseOneQuery(EmbeddedPostgresCluster cluster) throws Exception {
        AtomicInteger loadUnits = new AtomicInteger();
        UnitListener counter = report -> {
            if (report.statements().stream().anyMatch(s -> s.sql().contains("\"stampede\""))) {
                loadUnits.incrementAndGet();
            }
        };
        try (Instance app = instance(cluster, false, Lints.off(), counter)) {
            awaitListening(app); // its connect-time invalidation must not race the loads
            long callsBefore = serverCalls(cluster);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CodeTable<String, Record>>> results = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 1_000; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return app.lookups().get(STAMPEDES);
                    }));
                }
                start.countDown();
                for (Future<CodeTable<String, Record>> result : results) {
                    CodeTable<String, Record> table = result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    assertThat(table.require("a").get(LABEL)).isEqualTo("alpha");
                    assertThat(table).isSameAs(results.get(0).get());
                }
            }

            assertThat(serverCalls(cluster) - callsBefore).as("load queries counted by pg_stat_statements")
                    .isEqualTo(1);
            assertThat(loadUnits).as("read units that loaded the table").hasValue(1);
            assertThat(app.lookups().stats().loads()).isEqualTo(1);
        }
    }

    /** Executions of the stampede table's load query on every node, from pg_stat_statements. */
    private static long serverCalls(EmbeddedPostgresCluster cluster) {
        long calls = 0;
        for (PgNode node : cluster.nodes()) {
            Object sum = node.queryValue("select coalesce(sum(calls), 0)::bigint from pg_stat_statements"
                    + " where query like 'select%from \"stampede\"%'");
            calls += ((Number) sum).longValue();
        }
        return calls;
    }

    // ---- local invalidation ----

    @Test
    void aWriteInThisProcessIsSeenByTheNextLookupEvenWhileTheReplicaLags(EmbeddedPostgresCluster cluster) {
        PgNode replica = cluster.replicas().get(0);
        try (Instance app = instance(cluster, false)) {
            awaitListening(app);
            assertThat(label(app, "admin")).isEqualTo("Administrator");
            replica.pauseReplay();
            try {
                app.db().write(tx -> tx.update(ROLE).set(LABEL, "Admin").where(CODE.eq("admin")).execute());
                int leasesBefore = app.router().served.size();

                // No waiting: the write invalidated the table before it returned, and the reload must read at least
                // the commit, which the paused replica has not replayed, so the primary serves it.
                assertThat(label(app, "admin")).isEqualTo("Admin");
                assertThat(app.router().served.subList(leasesBefore, app.router().served.size()))
                        .contains(TokenAwareRouter.PRIMARY).doesNotContain(TokenAwareRouter.REPLICA);
            } finally {
                replica.resumeReplay();
            }
        }
    }

    @Test
    void aLookupOlderThanItsTtlIsLoadedAgainThoughNoWriteOrNotificationSaysSo(EmbeddedPostgresCluster cluster) {
        try (Instance shortLived = instance(cluster, false, Lints.off(), Lookups.builder().ttl(Duration.ofSeconds(1)));
                Instance longLived = instance(cluster, false)) {
            awaitListening(shortLived);
            awaitListening(longLived);
            assertThat(label(shortLived, "admin")).isEqualTo("Administrator");
            assertThat(label(longLived, "admin")).isEqualTo("Administrator");
            long loads = shortLived.lookups().stats().loads();

            // Issue 24: a change neither Database sees (no write through it, no notification): only the ttl brings
            // it in. Polled, not timed: the expiry happens at some point after 1s, however busy the machine.
            cluster.primary().execute("update role set label = 'Root' where code = 'admin'");
            cluster.awaitReplication(PATIENCE);
            await("the 1s ttl to expire the roles and a lookup to load them again",
                    () -> label(shortLived, "admin").equals("Root"));

            assertThat(shortLived.lookups().stats().loads()).isGreaterThan(loads);
            // The default ttl (10 minutes) has not passed: that cache still serves what it loaded.
            assertThat(label(longLived, "admin")).isEqualTo("Administrator");
        }
    }

    @Test
    void plainSqlWritesWritableCtesAndTruncateInvalidateTheCacheToo(EmbeddedPostgresCluster cluster) {
        try (Instance app = instance(cluster, false)) {
            awaitListening(app);
            assertThat(label(app, "user")).isEqualTo("User");
            assertThat(app.lookups().get(COUNTRIES).size()).isEqualTo(2);

            app.db().write(tx -> tx.execute("update role set label = 'Member' where code = 'user'"));
            assertThat(label(app, "user")).isEqualTo("Member");

            app.db().write(tx -> tx.fetch("with added as (insert into role values ('guest', 'Guest') returning code)"
                    + " select code from added"));
            assertThat(app.lookups().get(ROLES).keys()).containsExactly("admin", "guest", "user");

            app.db().write(tx -> tx.truncate(COUNTRY).execute());
            assertThat(app.lookups().get(COUNTRIES).size()).isZero();
        }
    }

    @Test
    void snapshotsAreImmutableViews(EmbeddedPostgresCluster cluster) {
        try (Instance app = instance(cluster, false)) {
            // the listener's first connect invalidates every table (notifications may have been missed before it),
            // which would swap the snapshot between the two reads of the identity check below
            awaitListening(app);
            CodeTable<String, Record> roles = app.lookups().get(ROLES);
            roles.require("admin").set(LABEL, "changed by a caller");
            assertThat(roles.require("admin").get(LABEL)).isEqualTo("Administrator");
            assertThat(roles.all()).extracting(r -> r.get(CODE)).containsExactly("admin", "user");
            assertThat(roles.find("nobody")).isEmpty();
            assertThatThrownBy(() -> roles.require("nobody"))
                    .hasMessageStartingWith("lookup table 'role' has no row with that code (2 rows, loaded at");
            assertThatThrownBy(() -> roles.asMap().clear()).isInstanceOf(UnsupportedOperationException.class);

            CodeTable<String, Country> countries = app.lookups().get(COUNTRIES);
            assertThat(countries.require("de")).isEqualTo(new Country("de", "Germany"))
                    .isSameAs(app.lookups().get(COUNTRIES).require("de"));

            LookupTable<String, Record> orders = LookupTable.of(ORDERS, ROLE_CODE);
            assertThatThrownBy(() -> app.lookups().get(orders))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not declared in this Database's Lookups");
        }
    }

    // ---- across instances ----

    @Test
    void anotherInstanceSeesACommittedWriteThroughListenNotify(EmbeddedPostgresCluster cluster) {
        try (Instance a = instance(cluster, false); Instance b = instance(cluster, true)) {
            awaitListening(a);
            awaitListening(b);
            List<Double> afterCommit = new ArrayList<>();
            List<Double> afterStart = new ArrayList<>();
            for (int round = 1; round <= 10; round++) {
                String label = "Admin #" + round;
                assertThat(label(b, "admin")).isNotEqualTo(label); // b has the table cached
                long start = System.nanoTime();
                a.db().write(tx -> tx.update(ROLE).set(LABEL, label).where(CODE.eq("admin")).execute());
                long committed = System.nanoTime();
                await("instance B to see '" + label + "'", () -> label.equals(label(b, "admin")));
                long seen = System.nanoTime();
                afterCommit.add((seen - committed) / 1e6);
                afterStart.add((seen - start) / 1e6);
            }
            System.out.printf("cross-instance invalidation delay over 10 writes (ms after write() returned):"
                    + " min %.2f, median %.2f, max %.2f; after write() began: min %.2f, median %.2f, max %.2f%n",
                    min(afterCommit), median(afterCommit), max(afterCommit), min(afterStart), median(afterStart),
                    max(afterStart));
            assertThat(b.lookups().stats().notifications()).isGreaterThanOrEqualTo(10);
            assertThat(b.lookups().stats().listenerConnects()).isEqualTo(1);
        }
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    @Test
    void aWriteThatRollsBackSendsNoInvalidation(EmbeddedPostgresCluster cluster) throws SQLException {
        try (Instance app = instance(cluster, false); Connection observer = cluster.primary().connect()) {
            try (Statement s = observer.createStatement()) {
                s.execute("LISTEN junction_lookups");
            }
            awaitListening(app);
            CodeTable<String, Record> cached = app.lookups().get(ROLES);

            // The work fails: rolled back before any notification was sent.
            assertThatThrownBy(() -> app.db().write(tx -> {
                tx.update(ROLE).set(LABEL, "never").where(CODE.eq("admin")).execute();
                throw new IllegalStateException("roll back");
            })).hasMessage("roll back");
            // The commit fails (a deferred foreign key): pg_notify ran inside the transaction, and is discarded.
            assertThatThrownBy(() -> app.db().write(tx -> {
                tx.update(ROLE).set(LABEL, "never either").where(CODE.eq("admin")).execute();
                return tx.insertInto(ORDERS).columns(ID, ROLE_CODE).values(1L, "no such role").execute();
            })).hasMessageContaining("commit failed").hasMessageContaining("23503");
            // A committed write to another lookup table: its notification comes after anything sent before.
            app.db().write(tx -> tx.update(COUNTRY).set(LABEL, "Deutschland").where(CODE.eq("de")).execute());

            List<String> payloads = new ArrayList<>();
            PGConnection pg = observer.unwrap(PGConnection.class);
            await("the committed write's notification", () -> {
                try {
                    PGNotification[] batch = pg.getNotifications(50);
                    Arrays.stream(batch == null ? new PGNotification[0] : batch)
                            .forEach(n -> payloads.add(n.getParameter()));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return payloads.contains("country");
            });
            assertThat(payloads).containsExactly("country");
            assertThat(app.lookups().get(ROLES)).as("no local invalidation either").isSameAs(cached);
            assertThat(cluster.primary().queryValue("select label from role where code = 'admin'"))
                    .isEqualTo("Administrator");
        }
    }

    @ParameterizedTest(name = "dedicated connection: {0}")
    @ValueSource(booleans = {true, false})
    void theListenerReconnectsAfterItsConnectionIsKilledAndInvalidatesEverything(boolean dedicated,
            EmbeddedPostgresCluster cluster) {
        try (Instance app = instance(cluster, dedicated)) {
            awaitListening(app);
            assertThat(app.lookups().stats().listenerConnects()).isEqualTo(1);
            assertThat(label(app, "admin")).isEqualTo("Administrator");
            // A change whose notification is lost: written behind Junction's back, without NOTIFY.
            cluster.primary().execute("update role set label = 'Changed unnoticed' where code = 'admin'");
            assertThat(label(app, "admin")).as("still cached").isEqualTo("Administrator");
            Object killed = listenerPid(cluster);

            cluster.primary().queryValue("select pg_terminate_backend(?)", killed);

            await("the listener to reconnect", () -> app.lookups().stats().listenerConnects() == 2
                    && app.lookups().stats().listening());
            assertThat(label(app, "admin")).isEqualTo("Changed unnoticed");
            assertThat(listenerPid(cluster)).isNotEqualTo(killed);
        }
    }

    @Test
    void aPooledListeningConnectionIsExchangedWithoutLosingNotifications(EmbeddedPostgresCluster cluster) {
        // The lease lifetime is tiny so exchanges happen all the time while the writes go on.
        try (Instance a = instance(cluster, true);
             Instance b = instance(cluster, false, Lints.off(),
                     Lookups.builder().listenerLeaseLifetime(Duration.ofMillis(20)))) {
            awaitListening(a);
            awaitListening(b);
            java.util.Set<Object> listenerPids = new java.util.HashSet<>();
            for (int round = 1; round <= 30; round++) {
                String label = "Admin #" + round;
                assertThat(label(b, "admin")).isNotEqualTo(label);
                a.db().write(tx -> tx.update(ROLE).set(LABEL, label).where(CODE.eq("admin")).execute());
                await("instance B to see '" + label + "'", () -> label.equals(label(b, "admin")));
                listenerPids.addAll(cluster.primary().query("select pid from pg_stat_activity where application_name"
                        + " = 'junction-lookup-listener' and backend_type = 'client backend'").stream()
                        .map(row -> row.get("pid")).toList());
            }
            // a's dedicated connection plus b's pooled ones: b's was exchanged, never reconnected.
            assertThat(listenerPids).hasSizeGreaterThan(2);
            assertThat(b.lookups().stats().listenerConnects()).isEqualTo(1);
            // Polled, not a snapshot: with a 20ms lifetime an exchange is nearly always under way, and during one
            // the old and the new connection are both leased (the old until the marker drains it). Between two
            // exchanges only one is leased; a leaked lease would keep the count above 1 for good.
            await("b's listener to hold one pooled connection between two exchanges",
                    () -> b.router().primary.getHikariPoolMXBean().getActiveConnections() == 1);
        }
    }

    private static Object listenerPid(EmbeddedPostgresCluster cluster) {
        List<Map<String, Object>> rows = cluster.primary().query(
                "select pid from pg_stat_activity where application_name = 'junction-lookup-listener'");
        assertThat(rows).as("listening connections").hasSize(1);
        return rows.get(0).get("pid");
    }

    // ---- the lint ----

    @Test
    void strictLintRefusesALookupTableReadInAWriteAndStaysSilentOutsideTransactions(
            EmbeddedPostgresCluster cluster) {
        try (Instance app = instance(cluster, false,
                Lints.from(Lints.off()).lookupReadInWrite(LintMode.STRICT).build())) {
            Database db = app.db();
            assertThatThrownBy(() -> db.write(tx -> {
                tx.insertInto(ORDERS).columns(ID, ROLE_CODE).values(1L, "admin").execute();
                return tx.selectFrom(ROLE).where(CODE.eq("admin")).fetchOne();
            }))
                    .isInstanceOfSatisfying(LintViolationException.class,
                            e -> assertThat(e.lint()).isEqualTo("lookup-read-in-write"))
                    .hasMessageStartingWith("lint lookup-read-in-write: the write transaction on node 'primary'"
                            + " read lookup table 'role' (select")
                    .hasMessageContaining("Use db.lookups().get(...) for it (no query), or read it before the"
                            + " transaction (db.prepare(...).thenWrite(...))");
            assertThat(cluster.primary().queryValue("select count(*) from orders")).as("rolled back")
                    .isEqualTo(0L);
            assertThatThrownBy(() -> db.write(tx -> tx.fetch("select label from role where code = 'admin'")))
                    .isInstanceOf(LintViolationException.class);

            // Silent: outside transactions, in joins with other tables, and after the transaction wrote the table.
            assertThat(db.readReported(ctx -> ctx.selectFrom(ROLE).fetch()).report().lints()).isEmpty();
            assertThat(db.parallel(ctx -> ctx.selectFrom(ROLE).fetch(), ctx -> ctx.selectFrom(COUNTRY).fetch())
                    .first()).hasSize(2);
            assertThat(db.write(tx -> {
                tx.insertInto(ORDERS).columns(ID, ROLE_CODE).values(2L, "admin").execute();
                return tx.select(ID).from(ORDERS).join(ROLE).on(ROLE_CODE.eq(CODE)).fetch();
            }).report().lints()).isEmpty();
            assertThat(db.write(tx -> {
                tx.update(ROLE).set(LABEL, "Admin").where(CODE.eq("admin")).execute();
                return tx.selectFrom(ROLE).fetch();
            }).report().lints()).isEmpty();
            assertThat(((DefaultDatabase) db).lintCounts()).containsEntry("lookup-read-in-write", 2L);
        }
    }

    @Test
    void warnLintLogsOncePerCallSite(EmbeddedPostgresCluster cluster) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Instance app = instance(cluster, false,
                Lints.from(Lints.off()).lookupReadInWrite(LintMode.WARN).build())) {
            for (int i = 0; i < 3; i++) {
                assertThat(readRolesInAWrite(app.db()).report().lints()).containsExactly("lookup-read-in-write");
            }
            Commit<?> elsewhere = app.db().write(tx -> tx.fetch("select * from country"));
            assertThat(elsewhere.report().lints()).containsExactly("lookup-read-in-write");
            assertThat(((DefaultDatabase) app.db()).lintCounts()).containsEntry("lookup-read-in-write", 4L);
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
        Matcher warning = Pattern.compile("lint lookup-read-in-write at (\\S+):").matcher(
                captured.toString(StandardCharsets.UTF_8));
        List<String> sites = new ArrayList<>();
        while (warning.find()) {
            sites.add(warning.group(1));
        }
        assertThat(sites).hasSize(2).doesNotHaveDuplicates()
                .allMatch(site -> site.startsWith(LookupsIT.class.getName() + ".lambda$"));
    }

    private static Commit<?> readRolesInAWrite(Database db) {
        return db.write(tx -> tx.selectFrom(ROLE).fetch());
    }
}
