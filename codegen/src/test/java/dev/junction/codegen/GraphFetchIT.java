package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.noCondition;

import dev.junction.UnitReport;
import dev.junction.graph.GraphQuery;
import dev.junction.graph.GraphRow;
import dev.junction.graph.Relation;
import dev.junction.graph.Strategy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6: the test schema generates, the generated graph fetchers compile without warnings, and on randomised data
 * every graph fetch returns exactly what the naive one-query-per-relation approach returns, in one statement.
 */
class GraphFetchIT {
    private static final Path MIGRATIONS = Path.of("src/test/resources/migrations");
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final Path WORK = Path.of("target/it-codegen/graph-fetch");

    private static GeneratedSources.Compilation compilation;
    private static URLClassLoader loader;
    private static EmbeddedPostgresCluster cluster;
    private static Connection connection;
    private static DSLContext ctx;
    private static final AtomicInteger statements = new AtomicInteger();
    private static final List<String> sql = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Statement by statement with the parent keys bound, in chunks as large as the default. */
    private static final Strategy STEP_BY_STEP = Strategy.perLevel(5_000);
    private static final List<Strategy> STRATEGIES = List.of(Strategy.automatic(), Strategy.perLevel(),
            STEP_BY_STEP, Strategy.perLevel(2), Strategy.join(), Strategy.multiset());

    @BeforeAll
    static void generateCompileAndStartDatabase() throws Exception {
        GeneratedSources.delete(WORK);
        JunctionCodegen.Result result = JunctionCodegen.builder()
                .migrations(MIGRATIONS)
                .packageName("com.example.db")
                .targetDirectory(WORK.resolve("src"))
                .build()
                .run();
        assertThat(result.outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        compilation = GeneratedSources.compile(WORK.resolve("classes"), WORK.resolve("src"), SCENARIOS);
        loader = compilation.load();

        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        Flyway.configure().dataSource(cluster.primary().jdbcUrl(), cluster.user(), cluster.password())
                .locations("filesystem:" + MIGRATIONS.toAbsolutePath()).load().migrate();
        connection = cluster.primary().connect();
        ExecuteListener counter = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext context) {
                statements.incrementAndGet();
                sql.add(context.sql());
            }
        };
        ctx = DSL.using(new DefaultConfiguration().set(connection).set(SQLDialect.POSTGRES)
                .set(new DefaultExecuteListenerProvider(counter)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (loader != null) {
            loader.close();
        }
    }

    @Test
    void generatedSourcesAndTypedUsageCompileWithoutWarnings() {
        assertThat(compilation.diagnostics()).isEmpty();
        Path graphs = WORK.resolve("src/com/example/db/graphs");
        assertThat(graphs.resolve("TailorGraph.java")).exists();
        assertThat(graphs.resolve("OrderGraph.java")).exists();
        assertThat(graphs.resolve("package-info.java")).exists();
    }

    @Test
    void relationsAreNamedFromForeignKeyColumns() throws Exception {
        String document = Files.readString(WORK.resolve("src/com/example/db/graphs/DocumentGraph.java"));
        assertThat(document).contains("public Query withCreatedByUser()", "public Query withUpdatedByUser()");
        String employee = Files.readString(WORK.resolve("src/com/example/db/graphs/EmployeeGraph.java"));
        assertThat(employee).contains("public Query withManager()", "public Query withEmployeesByManager()",
                "@Nullable Node manager", "List<Node> employeesByManager");
        String tailor = Files.readString(WORK.resolve("src/com/example/db/graphs/TailorGraph.java"));
        assertThat(tailor).contains("UsersGraph.@Nullable Node user", "List<SampleWorkGraph.Node> sampleWorks");
    }

    /**
     * Issue 12: every strategy returns exactly what the naive queries return, on randomised data: two to-many
     * branches under one parent, empty child lists, null to-one relations, composite keys, self-references, shared
     * to-one rows with children of their own, per-parent limits, and per-level key sets split into chunks of two.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20_240_601})
    void everyStrategyReturnsWhatNaiveQueriesReturn(long seed) {
        seed(seed);
        shape = new Shape();
        chunked = 0;
        for (String city : List.of("Lyon", "Porto", "Oslo", "Quito", "Nowhere")) {
            check(naiveTailorsIn(city), "tailorsInQuery", city);
            assertSame(graph("tailorsIn", city), naiveTailorsIn(city));
        }
        check(naiveDocuments(), "documentsQuery");
        check(naiveEmployees(), "employeesQuery");
        for (String group : List.of("red", "blue", "green")) {
            check(naiveOrdersOf(group), "ordersOfQuery", group);
        }
        check(naiveUsers(), "usersQuery");
        check(naiveWorksWithOwners(), "worksWithOwnersQuery");
        check(naiveWorksWithPortfolios(), "worksWithPortfoliosQuery");
        check(naivePagedTailors(), "pagedTailorsQuery");
        check(naiveSelfReferenceWithFilter(), "selfReferenceWithFilterQuery");
        for (String city : List.of("Lyon", "Porto", "Nowhere")) {
            check(naiveProjectedTailorsIn(city), "projectedTailorsInQuery", city);
        }
        for (String group : List.of("red", "blue")) {
            check(naiveProjectedOrdersOf(group), "projectedOrdersOfQuery", group);
        }
        check(naiveProjectedWorksWithPortfolios(), "projectedWorksWithPortfoliosQuery");
        check(naiveProjectedEmployees(), "projectedEmployeesQuery");
        check(naiveProjectedUsers(), "projectedUsersQuery");
        assertThat(shape.children).as("related rows compared").isGreaterThan(1000);
        assertThat(shape.emptyChildLists).as("empty child lists compared").isGreaterThan(20);
        assertThat(shape.nullToOnes).as("null to-one relations compared").isGreaterThan(20);
        assertThat(chunked).as("per-level reads that needed more statements with chunks of two keys").isPositive();
    }

    /** Which strategy cannot read which scenario, and must say so instead of returning something. */
    private static final Map<String, Strategy> UNSUPPORTED = Map.of(
            "usersQuery", Strategy.join(),
            "selfReferenceWithFilterQuery", Strategy.multiset(),
            "projectedUsersQuery", Strategy.join());

    /**
     * Issue 21: columns a projected scenario did not choose and no relation needs, which no statement of any strategy
     * may read (a projection that read whole rows and dropped columns afterwards would cost what it should save).
     */
    private static final Map<String, List<String>> NOT_READ = Map.of(
            "projectedTailorsInQuery", List.of("active", "made_on", "photo", "code", "created_at"),
            "projectedOrdersOfQuery", List.of("email", "created_at"),
            "projectedWorksWithPortfoliosQuery", List.of("made_on", "rating", "active", "tags"),
            "projectedUsersQuery", List.of("city", "rating", "updated_by", "\"group\""));

    private static int chunked;

    /** Reads the scenario's query with every strategy and compares each graph with the naive one. */
    private void check(List<Object> naive, String scenario, Object... args) {
        Object query = call(scenario, args);
        GraphQuery<?> untyped = (GraphQuery<?>) invoke(query, "graphQuery");
        int levels = 1 + toManyRelations(untyped);
        int stepByStep = -1;
        for (Strategy strategy : STRATEGIES) {
            Object typed = invoke(query, "strategy", strategy);
            Strategy resolved = strategy.resolve(untyped);
            statements.set(0);
            sql.clear();
            if (UNSUPPORTED.get(scenario) == strategy) {
                assertThatThrownBy(() -> invoke(typed, "fetch", ctx)).as("%s via %s", scenario, strategy)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot be read with " + strategy);
                continue;
            }
            List<?> nodes = (List<?>) invoke(typed, "fetch", ctx);
            List<Object> graph = nodes.stream().map(GraphFetchIT::canonical).toList();
            assertThat(graph).as("%s via %s", scenario, strategy).isEqualTo(naive);
            assertOrderTermsOnce(scenario, strategy);
            for (String column : NOT_READ.getOrDefault(scenario, List.of())) {
                assertThat(String.join("\n", sql)).as("statements of %s via %s", scenario, strategy)
                        .doesNotContain(column);
            }
            shape.accept(graph);
            if (resolved == Strategy.join() || resolved == Strategy.multiset()) {
                assertThat(statements.get()).as("statements of %s via %s", scenario, resolved).isEqualTo(1);
            } else if (resolved == Strategy.perLevel()) {
                // All levels in one message: the snapshot's SET TRANSACTION in front, its COMMIT behind.
                assertThat(statements.get()).as("statements of %s via per-level", scenario).isEqualTo(1);
                String text = sql.get(0);
                if (levels > 1) {
                    assertThat(text).startsWith("set transaction isolation level repeatable read, read only;"
                            + " select ").endsWith("; commit").containsOnlyOnce("set transaction")
                            .containsOnlyOnce("commit");
                    assertThat(text.split("; select ")).as("selects of %s via per-level", scenario)
                            .hasSizeGreaterThanOrEqualTo(levels);
                } else {
                    assertThat(text).startsWith("select ");
                }
            } else if (strategy == STEP_BY_STEP) {
                stepByStep = statements.get();
                // One statement per level at most; the snapshot's SET TRANSACTION travels with the first and its
                // COMMIT with the last, or alone when the last levels had no parents to read children for.
                assertThat(statements.get()).as("statements of %s via %s", scenario, strategy)
                        .isLessThanOrEqualTo(levels == 1 ? 1 : levels + 1);
                if (levels > 1) {
                    assertThat(sql.get(0)).startsWith("set transaction isolation level repeatable read, read only;"
                            + " select ");
                    assertThat(sql.get(sql.size() - 1)).endsWith("commit");
                    assertThat(String.join("\n", sql)).containsOnlyOnce("set transaction").containsOnlyOnce("commit");
                } else {
                    assertThat(sql).singleElement().asString().startsWith("select ");
                }
            } else if (strategy.toString().equals("Strategy.perLevel(2)") && statements.get() > stepByStep) {
                chunked++;
            }
        }
    }

    /** Everything after an {@code order by} up to the end of its list (a closing parenthesis, limit, offset, ;). */
    private static final Pattern ORDER_BY = Pattern.compile("order by (.+?)(?=\\)| limit | offset |;|$)");

    /**
     * Issue 21: no statement sorts by one column twice ({@code order by tailor.id, tailor.id}, when a query ordered
     * by its key got the key appended as the tie-breaker): directions aside, a later term on a column an earlier one
     * sorts by only costs the server a sort key.
     */
    private static void assertOrderTermsOnce(String scenario, Strategy strategy) {
        for (String statement : sql) {
            Matcher m = ORDER_BY.matcher(statement);
            while (m.find()) {
                List<String> terms = Arrays.stream(m.group(1).split(", "))
                        .map(t -> t.replaceFirst(" (asc|desc)( nulls (first|last))?$", "")).toList();
                assertThat(terms).as("order terms of %s via %s in: %s", scenario, strategy, statement)
                        .doesNotHaveDuplicates();
            }
        }
    }

    private static int toManyRelations(GraphQuery<?> query) {
        int n = 0;
        for (GraphQuery.Link<?, ?> link : query.links()) {
            n += (link.relation().isToOne() ? 0 : 1) + toManyRelations(link.query());
        }
        return n;
    }

    private static Object invoke(Object target, String method, Object... args) {
        try {
            for (Method m : target.getClass().getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                    return m.invoke(target, args);
                }
            }
            throw new IllegalArgumentException(target.getClass() + " has no method " + method);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void relationsThatWereNotRequestedAreEmptyAndNotMarkedFetched() throws Exception {
        seed(3);
        List<?> tailors = (List<?>) call("bareTailors", ctx);
        assertThat(tailors).hasSize(5);
        for (Object node : tailors) {
            assertThat(component(node, "user")).isNull();
            assertThat((List<?>) component(node, "sampleWorks")).isEmpty();
            assertThat((Collection<?>) component(node, "fetched")).isEmpty();
            assertThat(((Record) component(node, "tailor")).touched()).as("fetched records are unchanged").isFalse();
        }
        List<?> full = (List<?>) call("tailorsIn", ctx, "Lyon");
        assertThat(full).isNotEmpty();
        assertThat(names((Collection<?>) component(full.get(0), "fetched"))).containsExactly("sampleWorks", "user");
        assertThat((String) call("describe", full.get(0))).startsWith("Lyon (user-");
    }

    @Test
    void aStrategyChosenPerCallReadsTheGraph() {
        seed(5);
        List<String> used = new ArrayList<>();
        Strategy recording = new Strategy() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public <R extends Record> List<GraphRow<R>> fetch(DSLContext context, GraphQuery<R> query) {
                used.add(query.toString());
                return Strategy.multiset().fetch(context, query);
            }
        };
        List<?> viaRecording = (List<?>) call("tailorsWith", ctx, recording);
        List<?> viaDefault = (List<?>) call("tailorsWith", ctx, Strategy.defaultStrategy());
        assertThat(used).containsExactly("tailor{user, sampleWorks}");
        assertThat(viaRecording).hasSize(40);
        assertThat(viaRecording.stream().map(GraphFetchIT::canonical).toList())
                .isEqualTo(viaDefault.stream().map(GraphFetchIT::canonical).toList());
    }

    /**
     * Every graph with a to-many relation is read per level, all levels in one round trip (these tables all have
     * primary keys); one without is a join. The choice for levels that cannot travel together is in
     * AutomaticStrategyTest.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void automaticReadsPerLevelInOneRoundTripAndJoinsToOnesOnly() {
        GraphQuery tailors = untyped("tailorsInQuery", "Lyon");
        assertThat(chosen(tailors)).as("1 to-many, limit 20").isEqualTo("per-level");
        assertThat(chosen(tailors.limit(1))).as("1 to-many, limit 1").isEqualTo("per-level");
        GraphQuery orders = untyped("ordersOfQuery", "red");
        assertThat(chosen(orders)).as("2 to-many on one path, no limit").isEqualTo("per-level");
        assertThat(chosen(orders.limit(10))).isEqualTo("per-level");
        GraphQuery users = untyped("usersQuery");
        assertThat(chosen(users)).as("4 to-many branches, limit 10").isEqualTo("per-level");
        assertThat(chosen(users.limit(5))).isEqualTo("per-level");
        assertThat(chosen(untyped("documentsQuery"))).as("to-one only").isEqualTo("join");
        GraphQuery works = untyped("worksWithPortfoliosQuery");
        Field pk = (Field) ((Table<?>) works.table()).getPrimaryKey().getFields().get(0);
        assertThat(chosen(works)).as("no limit, no key filter").isEqualTo("per-level");
        assertThat(chosen(works.where(pk.eq(7L)))).as("where id = ?").isEqualTo("per-level");
        assertThat(chosen(untyped("pagedTailorsQuery"))).as("per-parent limits").isEqualTo("per-level");
    }

    @Test
    void everyFetchReportsItsStrategyAndRoundTripsWithoutFilterValues() {
        seed(11);
        List<String> notes = new ArrayList<>();
        DSLContext reporting = DSL.using(ctx.configuration().derive());
        reporting.configuration().data(UnitReport.NOTES_KEY, (Consumer<String>) notes::add);
        GraphQuery<?> tailors = untyped("tailorsInQuery", "Lyon");
        List<? extends GraphRow<?>> rows = tailors.fetch(reporting);
        tailors.strategy(Strategy.perLevel()).fetch(reporting);
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).startsWith("graph fetch tailor{user, sampleWorks} limit 20: per-level (automatic: 1"
                + " to-many, levels in one round trip, at most 20 roots), 2 statements, 1 round trip, ")
                .endsWith(", " + rows.size() + " roots").doesNotContain("Lyon");
        assertThat(notes.get(1)).startsWith("graph fetch tailor{user, sampleWorks} limit 20: per-level (chosen per"
                + " call), 2 statements, 1 round trip, ").doesNotContain("Lyon");
    }

    @Test
    void perLevelInsideTheCallersTransactionRunsInItAndLeavesItOpen() throws Exception {
        seed(12);
        GraphQuery<?> orders = untyped("ordersOfQuery", "red").strategy(Strategy.perLevel());
        List<Object> outside = orders.fetch(ctx).stream().map(GraphFetchIT::canonicalRow).toList();
        connection.setAutoCommit(false);
        try {
            sql.clear();
            List<Object> inside = orders.fetch(ctx).stream().map(GraphFetchIT::canonicalRow).toList();
            assertThat(inside).isEqualTo(outside).isNotEmpty();
            assertThat(String.join("\n", sql)).doesNotContain("set transaction").doesNotContain("commit");
            assertThat(connection.getAutoCommit()).isFalse();
            ctx.execute("select 1"); // the transaction is still usable
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Test
    void strategyArgumentsAreChecked() {
        assertThatThrownBy(() -> Strategy.perLevel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxKeysPerStatement must be >= 1, but was 0");
        assertThat(Strategy.perLevel(5_000)).isNotSameAs(Strategy.perLevel()).hasToString("Strategy.perLevel(5000)");
        assertThat(Strategy.defaultStrategy()).isSameAs(Strategy.automatic());
        assertThat(List.of(Strategy.perLevel(), Strategy.join(), Strategy.multiset(), Strategy.automatic()))
                .extracting(Strategy::name).containsExactly("per-level", "join", "multiset", "automatic");
    }

    private static GraphQuery<?> untyped(String scenario, Object... args) {
        return (GraphQuery<?>) invoke(call(scenario, args), "graphQuery");
    }

    private static String chosen(GraphQuery<?> query) {
        return Strategy.automatic().resolve(query).name();
    }

    /** A GraphRow as {row, and per fetched relation its canonical value}, for comparisons without typed nodes. */
    private static Object canonicalRow(GraphRow<?> row) {
        Map<String, Object> map = new HashMap<>();
        map.put("row", values(row.record()));
        for (Relation<?, ?> r : row.fetched()) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Relation<Record, Record> rel = (Relation) r;
            @SuppressWarnings("unchecked")
            GraphRow<Record> self = (GraphRow<Record>) row;
            map.put(r.name(), r.isToOne() ? (self.one(rel) == null ? "<none>" : canonicalRow(self.one(rel)))
                    : self.many(rel).stream().map(GraphFetchIT::canonicalRow).toList());
        }
        return map;
    }

    @Test
    void aToOneNestedQueryMustNotLimit() {
        assertThatThrownBy(() -> call("toOneWithLimit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("relation 'createdByUser' is to-one: its nested query must not set where, orderBy, limit"
                        + " or offset (it reads at most one row per document); filter the root query instead");
    }

    @Test
    void multisetRejectsASelfReferencingNestedFilterThatPerLevelAndJoinRead() {
        assertThatThrownBy(() -> call("selfReferenceWithFilter", ctx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be read with Strategy.multiset()")
                .hasMessageContaining("leads back to employee, which is already in scope")
                .hasMessageContaining("filter or order the enclosing query instead");
    }

    // --- the graph side: typed scenarios, compiled in-test, turned into comparable maps ---

    private List<Object> graph(String scenario, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = ctx;
        System.arraycopy(args, 0, all, 1, args.length);
        statements.set(0);
        List<?> nodes = (List<?>) call(scenario, all);
        assertThat(statements.get()).as("statements run by graph fetch %s (automatic: one round trip)", scenario).isEqualTo(1);
        return nodes.stream().map(GraphFetchIT::canonical).toList();
    }

    /** A node as {row, fetched, and one entry per fetched relation}; relations not fetched are left out. */
    private static Object canonical(Object node) {
        if (node == null) {
            return null;
        }
        RecordComponent[] components = node.getClass().getRecordComponents();
        Map<String, Object> map = new HashMap<>();
        map.put("row", values((Record) value(components[0], node)));
        List<String> fetched = names((Collection<?>) component(node, "fetched"));
        map.put("fetched", fetched);
        for (RecordComponent c : components) {
            if (fetched.contains(c.getName())) {
                Object v = value(c, node);
                map.put(c.getName(), v instanceof List<?> list ? list.stream().map(GraphFetchIT::canonical).toList()
                        : canonical(v));
            }
        }
        return map;
    }

    private static List<String> names(Collection<?> relations) {
        return relations.stream().map(r -> ((Relation<?, ?>) r).name()).sorted().toList();
    }

    // --- the naive side: one query per relation and row, written by hand against the generated tables ---

    private List<Object> naiveTailorsIn(String city) {
        Table<?> tailor = table("TAILOR");
        List<Object> nodes = new ArrayList<>();
        for (Record t : rows(tailor, col(tailor, "city").eq(city), 20, -1, col(tailor, "id"))) {
            nodes.add(node(t, "user", leaf(byId("USERS", t.get("user_id"))),
                    "sampleWorks", leaves(rows("SAMPLE_WORK", "tailor_id", t.get("id")))));
        }
        return nodes;
    }

    private List<Object> naiveDocuments() {
        List<Object> nodes = new ArrayList<>();
        Table<?> document = table("DOCUMENT");
        for (Record d : rows(document, noCondition(), -1, -1, col(document, "id"))) {
            nodes.add(node(d, "createdByUser", leaf(byId("USERS", d.get("created_by"))),
                    "updatedByUser", leaf(byId("USERS", d.get("updated_by")))));
        }
        return nodes;
    }

    private List<Object> naiveEmployees() {
        List<Object> nodes = new ArrayList<>();
        Table<?> employee = table("EMPLOYEE");
        for (Record e : rows(employee, noCondition(), -1, -1, col(employee, "id"))) {
            List<Object> reports = new ArrayList<>();
            for (Record r : rows("EMPLOYEE", "manager_id", e.get("id"))) {
                reports.add(node(r, "employeesByManager", leaves(rows("EMPLOYEE", "manager_id", r.get("id")))));
            }
            nodes.add(node(e, "manager", leaf(byId("EMPLOYEE", e.get("manager_id"))), "employeesByManager", reports));
        }
        return nodes;
    }

    private List<Object> naiveOrdersOf(String group) {
        List<Object> nodes = new ArrayList<>();
        Table<?> order = table("ORDER");
        Table<?> line = table("ORDER_LINE");
        Table<?> item = table("SHIPMENT_ITEM");
        for (Record o : rows(order, col(order, "group").eq(group), -1, -1, col(order, "id").desc())) {
            List<Object> lines = new ArrayList<>();
            for (Record l : rows(line, col(line, "order_id").eq(o.get("id")), -1, -1, col(line, "order_id"),
                    col(line, "line_no"))) {
                Condition sameLine = col(item, "order_id").eq(l.get("order_id"))
                        .and(col(item, "line_no").eq(l.get("line_no")));
                lines.add(node(l, "order", leaf(byId("ORDER", l.get("order_id"))),
                        "shipmentItems", leaves(rows(item, sameLine, -1, -1, col(item, "id")))));
            }
            nodes.add(node(o, "user", leaf(byId("USERS", o.get("user"))), "orderLines", lines));
        }
        return nodes;
    }

    private List<Object> naiveUsers() {
        List<Object> nodes = new ArrayList<>();
        Table<?> users = table("USERS");
        Table<?> work = table("SAMPLE_WORK");
        for (Record u : rows(users, noCondition(), 10, 3, col(users, "id"))) {
            List<Object> tailors = new ArrayList<>();
            for (Record t : rows("TAILOR", "user_id", u.get("id"))) {
                Condition expensive = col(work, "tailor_id").eq(t.get("id"))
                        .and(col(work, "price").gt(new BigDecimal("50")));
                tailors.add(node(t, "sampleWorks", leaves(rows(work, expensive, 2, -1, col(work, "id").desc()))));
            }
            nodes.add(node(u, "tailors", tailors,
                    "documentsByCreatedBy", leaves(rows("DOCUMENT", "created_by", u.get("id"))),
                    "documentsByUpdatedBy", leaves(rows("DOCUMENT", "updated_by", u.get("id"))),
                    "orders", leaves(rows("ORDER", "user", u.get("id")))));
        }
        return nodes;
    }

    private List<Object> naiveWorksWithOwners() {
        List<Object> nodes = new ArrayList<>();
        Table<?> work = table("SAMPLE_WORK");
        for (Record w : rows(work, noCondition(), -1, -1, col(work, "id"))) {
            Record t = byId("TAILOR", w.get("tailor_id"));
            nodes.add(node(w, "tailor", node(t, "user", leaf(byId("USERS", t.get("user_id"))))));
        }
        return nodes;
    }

    private List<Object> naiveWorksWithPortfolios() {
        List<Object> nodes = new ArrayList<>();
        Table<?> work = table("SAMPLE_WORK");
        for (Record w : rows(work, noCondition(), -1, -1, col(work, "id"))) {
            Record t = byId("TAILOR", w.get("tailor_id"));
            nodes.add(node(w, "tailor", node(t, "sampleWorks", leaves(rows("SAMPLE_WORK", "tailor_id", t.get("id"))))));
        }
        return nodes;
    }

    private List<Object> naivePagedTailors() {
        List<Object> nodes = new ArrayList<>();
        Table<?> tailor = table("TAILOR");
        Table<?> work = table("SAMPLE_WORK");
        for (Record t : rows(tailor, noCondition(), 15, 2, col(tailor, "id"))) {
            Condition pricey = col(work, "tailor_id").eq(t.get("id")).and(col(work, "price").gt(new BigDecimal("20")));
            nodes.add(node(t, "user", leaf(byId("USERS", t.get("user_id"))),
                    "sampleWorks", leaves(rows(work, pricey, 2, 1, col(work, "id").desc()))));
        }
        return nodes;
    }

    private List<Object> naiveSelfReferenceWithFilter() {
        List<Object> nodes = new ArrayList<>();
        Table<?> employee = table("EMPLOYEE");
        for (Record e : rows(employee, noCondition(), -1, -1, col(employee, "id"))) {
            Condition reports = col(employee, "manager_id").eq(e.get("id")).and(col(employee, "name").like("a%"));
            nodes.add(node(e, "employeesByManager", leaves(rows(employee, reports, -1, -1, col(employee, "id")))));
        }
        return nodes;
    }

    // Issue 21: the projected graphs. The naive side reads whole rows and keeps the chosen columns: every other column,
    // the keys that stitch the graph included, is null in the graph's records.

    private List<Object> naiveProjectedTailorsIn(String city) {
        Table<?> tailor = table("TAILOR");
        Table<?> work = table("SAMPLE_WORK");
        List<Object> nodes = new ArrayList<>();
        for (Record t : rows(tailor, col(tailor, "city").eq(city), 20, -1, col(tailor, "id"))) {
            Condition pricey = col(work, "tailor_id").eq(t.get("id")).and(col(work, "price").gt(new BigDecimal("20")));
            List<Object> works = new ArrayList<>();
            for (Record w : rows(work, pricey, 2, -1, col(work, "price").desc(), col(work, "id"))) {
                works.add(node(only(w, "title", "tags")));
            }
            Record user = byId("USERS", t.get("user_id"));
            nodes.add(node(only(t, "city", "rating"), "user", node(only(user, "email")), "sampleWorks", works));
        }
        return nodes;
    }

    private List<Object> naiveProjectedOrdersOf(String group) {
        List<Object> nodes = new ArrayList<>();
        Table<?> order = table("ORDER");
        Table<?> line = table("ORDER_LINE");
        Table<?> item = table("SHIPMENT_ITEM");
        for (Record o : rows(order, col(order, "group").eq(group), -1, -1, col(order, "id").desc())) {
            List<Object> lines = new ArrayList<>();
            for (Record l : rows(line, col(line, "order_id").eq(o.get("id")), -1, -1, col(line, "order_id"),
                    col(line, "line_no"))) {
                Condition sameLine = col(item, "order_id").eq(l.get("order_id"))
                        .and(col(item, "line_no").eq(l.get("line_no")));
                List<Object> items = new ArrayList<>();
                for (Record i : rows(item, sameLine, -1, -1, col(item, "id"))) {
                    items.add(node(only(i, "shipped")));
                }
                lines.add(node(only(l, "quantity"), "order", node(only(byId("ORDER", l.get("order_id")), "select")),
                        "shipmentItems", items));
            }
            Record user = byId("USERS", o.get("user"));
            nodes.add(node(only(o, "group"), "user", user == null ? null : node(only(user, "name")),
                    "orderLines", lines));
        }
        return nodes;
    }

    private List<Object> naiveProjectedWorksWithPortfolios() {
        List<Object> nodes = new ArrayList<>();
        Table<?> work = table("SAMPLE_WORK");
        for (Record w : rows(work, noCondition(), -1, -1, col(work, "id"))) {
            Record t = byId("TAILOR", w.get("tailor_id"));
            List<Object> portfolio = new ArrayList<>();
            for (Record p : rows("SAMPLE_WORK", "tailor_id", t.get("id"))) {
                portfolio.add(node(only(p, "price", "photo")));
            }
            nodes.add(node(only(w, "id", "title"), "tailor", node(only(t, "city"), "sampleWorks", portfolio)));
        }
        return nodes;
    }

    private List<Object> naiveProjectedEmployees() {
        List<Object> nodes = new ArrayList<>();
        Table<?> employee = table("EMPLOYEE");
        for (Record e : rows(employee, noCondition(), -1, -1, col(employee, "id"))) {
            List<Object> reports = new ArrayList<>();
            for (Record r : rows("EMPLOYEE", "manager_id", e.get("id"))) {
                List<Object> below = new ArrayList<>();
                for (Record b : rows("EMPLOYEE", "manager_id", r.get("id"))) {
                    below.add(node(only(b, "name")));
                }
                reports.add(node(only(r, "name", "manager_id"), "employeesByManager", below));
            }
            Record manager = byId("EMPLOYEE", e.get("manager_id"));
            nodes.add(node(only(e, "name"), "manager", manager == null ? null : node(only(manager, "id")),
                    "employeesByManager", reports));
        }
        return nodes;
    }

    private List<Object> naiveProjectedUsers() {
        List<Object> nodes = new ArrayList<>();
        Table<?> users = table("USERS");
        Table<?> order = table("ORDER");
        for (Record u : rows(users, noCondition(), 10, 3, col(users, "id"))) {
            List<Object> tailors = rows("TAILOR", "user_id", u.get("id")).stream()
                    .map(t -> (Object) node(only(t, "active"))).toList();
            List<Object> documents = rows("DOCUMENT", "created_by", u.get("id")).stream()
                    .map(d -> (Object) node(only(d, "title"))).toList();
            List<Object> orders = rows(order, col(order, "user").eq(u.get("id")), 1, -1, col(order, "select").desc(),
                    col(order, "id")).stream().map(o -> (Object) node(only(o, "select"))).toList();
            nodes.add(node(only(u, "email", "created_at"), "tailors", tailors, "documentsByCreatedBy", documents,
                    "orders", orders));
        }
        return nodes;
    }

    /** {@code row} with only {@code columns} set, as a projected graph fetch returns it. */
    @SuppressWarnings("unchecked")
    private Record only(Record row, String... columns) {
        Record copy = ctx.newRecord(row.fields());
        for (String column : columns) {
            Field<Object> f = (Field<Object>) row.field(column);
            assertThat(f).as("column %s", column).isNotNull();
            copy.set(f, row.get(f));
        }
        return copy;
    }

    private static Map<String, Object> node(Record row, Object... relations) {
        Map<String, Object> map = new HashMap<>();
        map.put("row", values(row));
        List<String> fetched = new ArrayList<>();
        for (int i = 0; i < relations.length; i += 2) {
            fetched.add((String) relations[i]);
            map.put((String) relations[i], relations[i + 1]);
        }
        map.put("fetched", fetched.stream().sorted().toList());
        return map;
    }

    private static Object leaf(Record row) {
        return row == null ? null : node(row);
    }

    private static List<Object> leaves(List<? extends Record> rows) {
        return rows.stream().map(GraphFetchIT::leaf).toList();
    }

    private Record byId(String table, Object id) {
        if (id == null) {
            return null;
        }
        Table<?> t = table(table);
        return ctx.selectFrom(t).where(col(t, "id").eq(id)).fetchOne();
    }

    private List<? extends Record> rows(String table, String column, Object value) {
        Table<?> t = table(table);
        return rows(t, col(t, column).eq(value), -1, -1, col(t, "id"));
    }

    private List<? extends Record> rows(Table<?> t, Condition where, int limit, int offset, OrderField<?>... order) {
        var ordered = ctx.selectFrom(t).where(where).orderBy(order);
        if (limit >= 0 && offset >= 0) {
            return ordered.limit(limit).offset(offset).fetch();
        }
        return limit >= 0 ? ordered.limit(limit).fetch() : ordered.fetch();
    }

    private static Table<?> table(String constant) {
        try {
            return (Table<?>) loader.loadClass("com.example.db.Tables").getField(constant).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Field<Object> col(Table<?> table, String name) {
        return (Field<Object>) table.field(name);
    }

    /** Column values, with byte arrays and SQL arrays made comparable. */
    private static List<Object> values(Record record) {
        return Arrays.stream(record.intoArray()).map(GraphFetchIT::comparable).toList();
    }

    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Object[] array) {
            return Arrays.stream(array).map(GraphFetchIT::comparable).toList();
        }
        return value == null ? "<null>" : value;
    }

    private static void assertSame(List<Object> graph, List<Object> naive) {
        assertThat(graph).isEqualTo(naive);
        shape.accept(graph);
    }

    /** Counts what the compared graphs contained, so a test on empty or trivial data cannot pass. */
    private static final class Shape implements Consumer<Object> {
        int roots;
        int children;
        int emptyChildLists;
        int nullToOnes;

        @Override
        public void accept(Object value) {
            if (value instanceof List<?> list) {
                list.forEach(this::accept);
            } else if (value instanceof Map<?, ?> node) {
                for (Object name : (List<?>) node.get("fetched")) {
                    Object related = node.get(name);
                    if (related == null) {
                        nullToOnes++;
                    } else if (related instanceof List<?> list) {
                        children += list.size();
                        emptyChildLists += list.isEmpty() ? 1 : 0;
                        accept(list);
                    } else {
                        accept(related);
                    }
                }
            }
        }
    }

    private static Shape shape = new Shape();

    // --- test data ---

    private void seed(long seed) {
        Random random = new Random(seed);
        ctx.execute("truncate table shipment_item, order_line, \"order\", document, sample_work, tailor, employee,"
                + " users restart identity cascade");
        String[] cities = {"Lyon", "Porto", "Oslo", "Quito"};
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            users.add(insert("insert into users (email, name, created_at) values (?, ?, ?::timestamptz) returning id",
                    "user-" + i + "@example.com", random.nextInt(5) == 0 ? null : "name " + i,
                    OffsetDateTime.of(2024, 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24),
                            random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1000,
                            ZoneOffset.UTC)));
        }
        for (int i = 0; i < 40; i++) {
            long tailor = insert("insert into tailor (user_id, city, rating, active) values (?, ?, ?, ?) returning id",
                    pick(random, users), cities[random.nextInt(cities.length)],
                    random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(500), 2), random.nextBoolean());
            int works = random.nextInt(5);
            for (int w = 0; w < works; w++) {
                insert("insert into sample_work (tailor_id, title, price, made_on, code, photo, tags)"
                                + " values (?, ?, ?, ?::date, ?::uuid, ?, ?::text[]) returning id",
                        tailor, "work " + i + "." + w,
                        random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(20_000), 2),
                        random.nextInt(3) == 0 ? null : LocalDate.of(2000 + random.nextInt(25), 1 + random.nextInt(12),
                                1 + random.nextInt(28)),
                        new UUID(random.nextLong(), random.nextLong()),
                        random.nextInt(3) == 0 ? null : bytes(random),
                        random.nextInt(3) == 0 ? null : new String[] {"t" + random.nextInt(9), "x\"y,z"});
            }
        }
        for (int i = 0; i < 30; i++) {
            insert("insert into document (title, created_by, updated_by) values (?, ?, ?) returning id",
                    "doc " + i, pick(random, users), random.nextInt(3) == 0 ? null : pick(random, users));
        }
        for (int i = 1; i <= 30; i++) {
            ctx.execute("insert into employee (id, name, manager_id) values (?, ?, ?)", i,
                    (random.nextBoolean() ? "a" : "b") + i, i == 1 || random.nextInt(5) == 0 ? null
                            : 1 + random.nextInt(i - 1));
        }
        String[] groups = {"red", "blue", "green"};
        for (int i = 0; i < 25; i++) {
            long order = insert("insert into \"order\" (\"user\", \"group\", \"select\") values (?, ?, ?) returning id",
                    random.nextInt(5) == 0 ? null : pick(random, users), groups[random.nextInt(groups.length)],
                    random.nextBoolean() ? null : random.nextInt(100));
            int lines = random.nextInt(4);
            for (int l = 1; l <= lines; l++) {
                ctx.execute("insert into order_line (order_id, line_no, quantity) values (?, ?, ?)", order, l,
                        1 + random.nextInt(9));
                int items = random.nextInt(3);
                for (int s = 0; s < items; s++) {
                    insert("insert into shipment_item (order_id, line_no, shipped) values (?, ?, ?::timestamp) returning id",
                            order, l, random.nextBoolean() ? null : LocalDateTime.of(2024, 5, 1 + random.nextInt(28),
                                    random.nextInt(24), random.nextInt(60), random.nextInt(60),
                                    random.nextInt(1_000_000) * 1000));
                }
            }
        }
    }

    private long insert(String sql, Object... bindings) {
        return ((Number) ctx.fetchValue(sql, bindings)).longValue();
    }

    private static Long pick(Random random, List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    private static byte[] bytes(Random random) {
        byte[] bytes = new byte[random.nextInt(9)];
        random.nextBytes(bytes);
        return bytes;
    }

    // --- reflection on the in-test compiled classes ---

    private static Object call(String scenario, Object... args) {
        try {
            Class<?> scenarios = loader.loadClass("com.example.app.GraphScenarios");
            for (Method m : scenarios.getMethods()) {
                if (m.getName().equals(scenario) && m.getParameterCount() == args.length) {
                    return m.invoke(null, args);
                }
            }
            throw new IllegalArgumentException("no scenario " + scenario + " with " + args.length + " arguments");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object component(Object node, String name) {
        for (RecordComponent c : node.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return value(c, node);
            }
        }
        throw new IllegalArgumentException(node.getClass() + " has no component " + name);
    }

    private static Object value(RecordComponent component, Object node) {
        try {
            return component.getAccessor().invoke(node);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
