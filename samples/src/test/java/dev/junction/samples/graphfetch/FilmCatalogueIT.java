package dev.junction.samples.graphfetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Lints;
import dev.junction.Reported;
import dev.junction.UnitReport;
import dev.junction.graph.Strategy;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.samples.graphfetch.db.graphs.ActorGraph;
import dev.junction.spi.Role;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 on the film catalogue, through Junction: the generated fetcher returns what every hand-written shape
 * returns whichever strategy reads it, and in a read unit on a replica the per-level strategy runs its statements in
 * one REPEATABLE READ snapshot and says so in the unit's report.
 */
@WithEmbeddedCluster(replicas = 1)
class FilmCatalogueIT {
    private static ClusterRouter router;
    private static Database db;

    @BeforeAll
    static void start(EmbeddedPostgresCluster cluster) throws Exception {
        Flyway.configure().dataSource(cluster.primary().jdbcUrl(), cluster.user(), cluster.password())
                .locations("classpath:db/filmcatalogue").load().migrate();
        try (Connection c = cluster.primary().connect()) {
            FilmCatalogueData.populate(DSL.using(c, SQLDialect.POSTGRES), 120, 300, 0.17);
        }
        cluster.awaitReplication(Duration.ofSeconds(30));
        PoolSettings small = PoolSettings.builder().maximumPoolSize(2).minimumIdle(0).build();
        RoutingConfig.Builder config = RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .primaryPool(small)
                .replicaPool(small)
                .fallback(FallbackPolicy.FAIL);
        for (PgNode replica : cluster.replicas()) {
            config.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
        }
        router = ClusterRouter.create(config.build());
        db = Junction.builder().router(router).lints(Lints.off()).build();
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest(name = "{0} actors")
    @ValueSource(ints = {1, 7, 37, 120})
    void everyShapeAndEveryStrategyReturnsTheSameGraph(int actors) {
        List<Object> expected = db.read(ctx -> comparable(FilmCatalogue.nPlusOne(ctx, actors)));
        assertThat(expected).hasSize(actors);
        if (actors >= 37) {
            assertThat(expected.toString()).as("an actor without films (every 37th)").contains("[]]");
        }
        Map<String, BiFunction<DSLContext, Integer, List<FilmCatalogue.ActorFilms>>> shapes = Map.of(
                "per-level", FilmCatalogue::perLevel,
                "join", FilmCatalogue::join,
                "multiset", FilmCatalogue::multisetQuery,
                "generated", (ctx, n) -> FilmCatalogue.flatten(FilmCatalogue.generated(ctx, n)));
        shapes.forEach((name, shape) -> {
            List<Object> graph = db.read(ctx -> comparable(shape.apply(ctx, actors)));
            assertThat(graph).as(name).isEqualTo(expected);
        });
        for (Strategy strategy : List.of(Strategy.perLevel(), Strategy.perLevel(5_000), Strategy.perLevel(3),
                Strategy.join(), Strategy.multiset())) {
            List<Object> graph = db.read(ctx -> comparable(FilmCatalogue.flatten(FilmCatalogue.generated(ctx, actors,
                    strategy))));
            assertThat(graph).as("generated via %s", strategy).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} actors")
    @ValueSource(ints = {1, 37, 120})
    void theWideVariantsShapesReadOnlyThePagesColumnsAndReturnTheSameGraph(int actors) {
        List<Object> expected = db.read(ctx -> comparableWide(WideFilmCatalogue.perLevel(ctx, actors)));
        assertThat(expected).hasSize(actors);
        Map<String, BiFunction<DSLContext, Integer, List<WideFilmCatalogue.ActorFilms>>> shapes = Map.of(
                "join", WideFilmCatalogue::join,
                "multiset", WideFilmCatalogue::multisetQuery,
                "generated", WideFilmCatalogue::generated);
        shapes.forEach((name, shape) -> {
            List<Object> graph = db.read(ctx -> comparableWide(shape.apply(ctx, actors)));
            assertThat(graph).as(name).isEqualTo(expected);
        });
        for (Strategy strategy : List.of(Strategy.perLevel(), Strategy.perLevel(5_000), Strategy.join(),
                Strategy.multiset())) {
            List<Object> graph = db.read(ctx -> comparableWide(WideFilmCatalogue.generated(ctx, actors, strategy)));
            assertThat(graph).as("generated via %s", strategy).isEqualTo(expected);
        }
        // The columns the page does not show are there (about 2 KB of synopsis a film) and read by nobody.
        Integer shortestSynopsis = db.read(ctx -> ((Number) ctx.fetchValue(
                "select min(length(synopsis)) from wide_film")).intValue());
        assertThat(shortestSynopsis).isGreaterThan(1_900);
        for (WideFilmCatalogue.ActorFilms actor : db.read(ctx -> WideFilmCatalogue.generated(ctx, actors))) {
            for (WideFilmCatalogue.FilmCategories film : actor.films()) {
                assertThat(film.film().getTitle()).isNotNull();
                assertThat(film.film().getSynopsis()).isNull();
                assertThat(film.film().getSearch()).isNull();
                assertThat(film.film().getCreatedAt()).isNull();
            }
        }
    }

    @Test
    void perLevelInAReadUnitRunsOnTheReplicaInOneSnapshotAndSaysSo() {
        Reported<List<ActorGraph.Node>> page = db.readReported(ctx -> FilmCatalogue.generated(ctx, 100));
        UnitReport report = page.report();
        assertThat(page.value()).hasSize(100);
        assertThat(report.nodes()).singleElement().extracting(n -> n.role()).isEqualTo(Role.REPLICA);
        assertThat(report.notes()).singleElement().asString().startsWith("graph fetch"
                + " actor{filmActors{film{filmCategories{category}}}} limit 100: per-level (automatic: 2 to-many,"
                + " levels in one round trip, at most 100 roots), 4 statements, 1 round trip, ");
        assertThat(report.statementCount()).as("the four selects travel as one jOOQ statement").isEqualTo(1);
        assertThat(report.roundTrips()).as("BEGIN, SET, the four selects and COMMIT in one message").isEqualTo(1);
        assertThat(report.statements().get(0).sql())
                .startsWith("set transaction isolation level repeatable read, read only; select ");
        // The snapshot's transaction is over: the next unit on the pooled connection starts without one.
        Object isolation = db.read(ctx -> ctx.fetchValue("select current_setting('transaction_isolation')"));
        assertThat(isolation).isEqualTo("read committed");
    }

    @Test
    void aJoinInAReadUnitIsOneStatementAndOneRoundTrip() {
        UnitReport report = db.readReported(ctx -> FilmCatalogue.generated(ctx, 5, Strategy.join())).report();
        assertThat(report.notes()).singleElement().asString().contains(": join (chosen per call), 1 statement,"
                + " 1 round trip, ");
        assertThat(report.statementCount()).isEqualTo(1);
        assertThat(report.roundTrips()).isEqualTo(1);
    }

    @Test
    void perLevelInAWriteUnitReadsInsideTheWriteTransaction() {
        UnitReport report = db.write(ctx -> FilmCatalogue.generated(ctx, 30, Strategy.perLevel())).report();
        assertThat(report.nodes()).singleElement().extracting(n -> n.role()).isEqualTo(Role.PRIMARY);
        // 30 roots: each film is joined into the film_actor statement instead of being read by a statement of its own.
        assertThat(report.notes()).singleElement().asString().contains(": per-level (chosen per call), 3 statements,"
                + " 1 round trip, ");
        assertThat(report.statements()).noneMatch(s -> s.sql().contains("set transaction"));
    }

    /** The graph as nested lists of column values. */
    private static List<Object> comparable(List<FilmCatalogue.ActorFilms> actors) {
        List<Object> out = new ArrayList<>(actors.size());
        for (FilmCatalogue.ActorFilms a : actors) {
            List<Object> films = new ArrayList<>();
            for (FilmCatalogue.FilmCategories f : a.films()) {
                films.add(List.of(values(f.film()), f.categories().stream().map(FilmCatalogueIT::values).toList()));
            }
            out.add(List.of(values(a.actor()), films));
        }
        return out;
    }

    /** The wide graph as nested lists of column values (the columns nobody chose are null). */
    private static List<Object> comparableWide(List<WideFilmCatalogue.ActorFilms> actors) {
        List<Object> out = new ArrayList<>(actors.size());
        for (WideFilmCatalogue.ActorFilms a : actors) {
            List<Object> films = new ArrayList<>();
            for (WideFilmCatalogue.FilmCategories f : a.films()) {
                films.add(List.of(values(f.film()), f.categories().stream().map(FilmCatalogueIT::values).toList()));
            }
            out.add(List.of(values(a.actor()), films));
        }
        return out;
    }

    private static List<Object> values(Record r) {
        return Arrays.stream(r.intoArray()).map(v -> v == null ? "<null>" : v).toList();
    }
}
