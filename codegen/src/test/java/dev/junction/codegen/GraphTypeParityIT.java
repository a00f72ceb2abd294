package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.GraphRow;
import dev.junction.graph.Relation;
import dev.junction.graph.Strategy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: every strategy returns the records {@code selectFrom} returns, value for value and class for class, for
 * every column type the issue names (tsvector, arrays, an enum, a domain, jsonb, json, bytea, timestamps with and
 * without zone, date, numeric, uuid, interval, inet), at the root, one level down and two levels down, through to-many
 * and to-one relations. MULTISET reads nested rows from JSON, the other strategies from JDBC: the test holds them to
 * the same values.
 */
class GraphTypeParityIT {
    private static final Path WORK = Path.of("target/it-codegen/type-parity");
    private static final List<Strategy> STRATEGIES = List.of(Strategy.automatic(), Strategy.perLevel(),
            Strategy.perLevel(2), Strategy.join(), Strategy.multiset());
    /** The columns every table of the schema has, one per type. */
    private static final String COLUMNS = """
                search    tsvector,
                tags      text[],
                scores    integer[],
                state     mood,
                amount    positive_int,
                doc       jsonb,
                raw       json,
                blob      bytea,
                at_local  timestamp,
                at_zoned  timestamptz,
                day       date,
                price     numeric(12, 2),
                ratio     numeric,
                uid       uuid,
                waited    interval,
                host      inet
            """;
    /** Values for the typed columns; row {@code i} takes {@code VALUES[i % n]}, the last one all nulls. */
    private static final String[] VALUES = {
        "to_tsvector('simple', 'the quick brown fox'), array['a', 'b,c', 'd\"e'], array[1, 2, 3], 'calm', 7,"
                + " '{\"b\": 1, \"a\": [true, null, 2.50]}', '{\"b\":1,  \"a\":2}', '\\x00ff10',"
                + " '2024-05-01 10:11:12.123456', '2024-05-01 10:11:12.5+02', '2024-02-29', 12.30, 1.500, "
                + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 year 2 mons 3 days 04:05:06.5', '192.168.0.1/24'",
        "'a:1 b:2'::tsvector, array[]::text[], array[null, 4]::int[], 'busy', 1, '[]', '[1, \"x\"]', '\\x',"
                + " '1999-12-31 23:59:59', '1999-12-31 23:59:59-08', '1970-01-01', 0.00, -3, "
                + " '00000000-0000-0000-0000-000000000000', '-2 hours', '::1'",
        "null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null",
    };

    private static EmbeddedPostgresCluster cluster;
    private static Connection connection;
    private static DSLContext ctx;
    private static URLClassLoader loader;

    @BeforeAll
    static void generateAndSeed() throws Exception {
        GeneratedSources.delete(WORK);
        Path migrations = Files.createDirectories(WORK.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__types.sql"), "create type mood as enum ('calm', 'busy');\n"
                + "create domain positive_int as integer check (value > 0);\n"
                + "create table shelf (id bigint primary key,\n" + COLUMNS + ");\n"
                + "create table item (id bigint primary key, shelf_id bigint not null references shelf (id),\n"
                + COLUMNS + ");\n"
                + "create table tag (id bigint primary key, item_id bigint not null references item (id),\n"
                + COLUMNS + ");\n");
        JunctionCodegen.Result result = JunctionCodegen.builder().migrations(migrations)
                .packageName("com.example.types").targetDirectory(WORK.resolve("src")).build().run();
        assertThat(result.outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        GeneratedSources.Compilation compilation = GeneratedSources.compile(WORK.resolve("classes"),
                WORK.resolve("src"));
        assertThat(compilation.diagnostics()).isEmpty();
        loader = compilation.load();

        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        Flyway.configure().dataSource(cluster.primary().jdbcUrl(), cluster.user(), cluster.password())
                .locations("filesystem:" + migrations.toAbsolutePath()).load().migrate();
        connection = cluster.primary().connect();
        ctx = DSL.using(connection, SQLDialect.POSTGRES);
        int n = VALUES.length;
        for (int s = 1; s <= n; s++) {
            ctx.execute("insert into shelf values (" + s + ", " + VALUES[s % n] + ")");
            for (int i = 1; i <= n; i++) {
                int item = s * 10 + i;
                ctx.execute("insert into item values (" + item + ", " + s + ", " + VALUES[item % n] + ")");
                for (int t = 1; t <= n; t++) {
                    int tag = item * 10 + t;
                    ctx.execute("insert into tag values (" + tag + ", " + item + ", " + VALUES[tag % n] + ")");
                }
            }
        }
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
    void everyStrategyReturnsTheRecordsOfSelectFromForEveryColumnType() throws Exception {
        Table<Record> shelf = table("SHELF");
        Table<Record> item = table("ITEM");
        Table<Record> tag = table("TAG");
        ForeignKey<Record, Record> itemShelf = key(item);
        ForeignKey<Record, Record> tagItem = key(tag);
        Relation<Record, Record> items = Relation.toMany("items", itemShelf);
        Relation<Record, Record> tags = Relation.toMany("tags", tagItem);
        Relation<Record, Record> itemOf = Relation.toOne("item", tagItem);
        Relation<Record, Record> shelfOf = Relation.toOne("shelf", itemShelf);
        List<GraphQuery<Record>> graphs = List.of(
                GraphQuery.of(shelf).with(items, GraphQuery.of(item).with(tags).with(shelfOf)),
                GraphQuery.of(tag).with(itemOf, GraphQuery.of(item).with(shelfOf)));
        for (GraphQuery<Record> graph : graphs) {
            for (Strategy strategy : STRATEGIES) {
                List<String> differences = new ArrayList<>();
                int[] compared = {0};
                for (GraphRow<Record> row : graph.strategy(strategy).fetch(ctx)) {
                    compare(row, graph + " via " + strategy, differences, compared);
                }
                assertThat(differences).as("%s via %s", graph, strategy).isEmpty();
                assertThat(compared[0]).as("records compared for %s via %s", graph, strategy)
                        .isGreaterThanOrEqualTo(27);
            }
        }
    }

    /** Compares {@code row}'s record and every related record below it with what selectFrom reads. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void compare(GraphRow<Record> row, String where, List<String> differences, int[] compared) {
        Record fetched = row.record();
        Table<Record> table = (Table<Record>) ((TableRecord<?>) fetched).getTable();
        Field<Object> id = (Field<Object>) table.field("id");
        Record expected = ctx.selectFrom(table).where(id.eq(fetched.get(id))).fetchSingle();
        compared[0]++;
        for (Field<?> f : table.fields()) {
            Object want = expected.get(f);
            Object got = fetched.get(f);
            if (!Objects.deepEquals(want, got) || (want != null && got != null && want.getClass() != got.getClass())) {
                differences.add(table.getName() + "." + f.getName() + " of id " + fetched.get(id) + ": selectFrom "
                        + describe(want) + ", fetched " + describe(got));
            }
        }
        for (Relation<Record, ?> relation : row.fetched()) {
            Relation<Record, Record> r = (Relation) relation;
            if (r.isToOne()) {
                GraphRow<Record> one = row.one(r);
                assertThat(one).as("%s: %s of %s", where, r.name(), fetched).isNotNull();
                compare(one, where, differences, compared);
            } else {
                for (GraphRow<Record> many : row.many(r)) {
                    compare(many, where, differences, compared);
                }
            }
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof Object[] array ? Arrays.deepToString(array)
                : value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(value);
        return value.getClass().getSimpleName() + " " + text;
    }

    @SuppressWarnings("unchecked")
    private static Table<Record> table(String constant) throws ReflectiveOperationException {
        return (Table<Record>) loader.loadClass("com.example.types.Tables").getField(constant).get(null);
    }

    @SuppressWarnings("unchecked")
    private static ForeignKey<Record, Record> key(Table<Record> table) {
        return (ForeignKey<Record, Record>) table.getReferences().get(0);
    }
}
