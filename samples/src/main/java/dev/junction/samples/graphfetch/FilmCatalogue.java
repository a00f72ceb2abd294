package dev.junction.samples.graphfetch;

import static dev.junction.samples.graphfetch.db.Tables.ACTOR;
import static dev.junction.samples.graphfetch.db.Tables.CATEGORY;
import static dev.junction.samples.graphfetch.db.Tables.FILM;
import static dev.junction.samples.graphfetch.db.Tables.FILM_ACTOR;
import static dev.junction.samples.graphfetch.db.Tables.FILM_CATEGORY;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import dev.junction.graph.Strategy;
import dev.junction.samples.graphfetch.db.graphs.ActorGraph;
import dev.junction.samples.graphfetch.db.graphs.FilmActorGraph;
import dev.junction.samples.graphfetch.db.graphs.FilmCategoryGraph;
import dev.junction.samples.graphfetch.db.graphs.FilmGraph;
import dev.junction.samples.graphfetch.db.tables.records.ActorRecord;
import dev.junction.samples.graphfetch.db.tables.records.CategoryRecord;
import dev.junction.samples.graphfetch.db.tables.records.FilmRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;

/**
 * "The first N actors, each with their films, each film with its categories", read five ways: the four shapes people
 * write by hand (N+1, one query per level, one flat join, nested MULTISET) and the generated graph fetcher, which
 * picks one of the last three itself. All five return the same {@link ActorFilms} list; the benchmark
 * ({@code ./dev bench graph-fetch}) times them. Stateless and thread-safe.
 */
public final class FilmCatalogue {
    private FilmCatalogue() {
    }

    /**
     * An actor with their films in film id order.
     *
     * @param actor the actor
     * @param films the actor's films with their categories
     */
    public record ActorFilms(ActorRecord actor, List<FilmCategories> films) {
    }

    /**
     * A film with its categories in category id order.
     *
     * @param film       the film
     * @param categories its categories
     */
    public record FilmCategories(FilmRecord film, List<CategoryRecord> categories) {
    }

    // tag::generated[]
    /** The graph: actors, their film_actor rows, each one's film, the film's film_category rows and categories. */
    public static ActorGraph.Query actorsWithFilms(int actors) {
        return ActorGraph.query()
                .withFilmActors(FilmActorGraph.query()
                        .withFilm(FilmGraph.query()
                                .withFilmCategories(FilmCategoryGraph.query().withCategory())))
                .orderBy(ACTOR.ID)
                .limit(actors);
    }

    /** The generated fetcher: the strategy is chosen per fetch from the graph's shape and the limit. */
    public static List<ActorGraph.Node> generated(DSLContext ctx, int actors) {
        return actorsWithFilms(actors).fetch(ctx);
    }
    // end::generated[]

    // tag::override[]
    /** The same graph, read with a strategy named per call instead of the automatic choice. */
    public static List<ActorGraph.Node> generated(DSLContext ctx, int actors, Strategy strategy) {
        return actorsWithFilms(actors).strategy(strategy).fetch(ctx);
    }
    // end::override[]

    /** The generated nodes in the hand-written shape, to compare them. */
    public static List<ActorFilms> flatten(List<ActorGraph.Node> nodes) {
        List<ActorFilms> out = new ArrayList<>(nodes.size());
        for (ActorGraph.Node actor : nodes) {
            List<FilmCategories> films = new ArrayList<>(actor.filmActors().size());
            for (FilmActorGraph.Node link : actor.filmActors()) {
                FilmGraph.Node film = link.film();
                if (film == null) {
                    throw new IllegalStateException("film_actor.film_id is not null, so its film must be fetched");
                }
                List<CategoryRecord> categories = new ArrayList<>(film.filmCategories().size());
                for (FilmCategoryGraph.Node fc : film.filmCategories()) {
                    if (fc.category() != null) {
                        categories.add(fc.category().category());
                    }
                }
                films.add(new FilmCategories(film.film(), categories));
            }
            out.add(new ActorFilms(actor.actor(), films));
        }
        return out;
    }

    /** N+1: the actors, then a query per actor for their films, then a query per film for its categories. */
    public static List<ActorFilms> nPlusOne(DSLContext ctx, int actors) {
        List<ActorFilms> out = new ArrayList<>(actors);
        for (ActorRecord actor : ctx.selectFrom(ACTOR).orderBy(ACTOR.ID).limit(actors).fetch()) {
            List<FilmCategories> films = new ArrayList<>();
            for (FilmRecord film : ctx.select(FILM.fields()).from(FILM).join(FILM_ACTOR)
                    .on(FILM_ACTOR.FILM_ID.eq(FILM.ID)).where(FILM_ACTOR.ACTOR_ID.eq(actor.getId()))
                    .orderBy(FILM.ID).fetchInto(FILM)) {
                films.add(new FilmCategories(film, ctx.select(CATEGORY.fields()).from(CATEGORY).join(FILM_CATEGORY)
                        .on(FILM_CATEGORY.CATEGORY_ID.eq(CATEGORY.ID)).where(FILM_CATEGORY.FILM_ID.eq(film.getId()))
                        .orderBy(CATEGORY.ID).fetchInto(CATEGORY)));
            }
            out.add(new ActorFilms(actor, films));
        }
        return out;
    }

    /**
     * One query per level, children by {@code = ANY(?)}: the actors, their films (joined through film_actor), the
     * films' categories (joined through film_category). Three statements, no snapshot: what people write.
     */
    public static List<ActorFilms> perLevel(DSLContext ctx, int actors) {
        Result<ActorRecord> roots = ctx.selectFrom(ACTOR).orderBy(ACTOR.ID).limit(actors).fetch();
        Long[] actorIds = roots.map(ActorRecord::getId).toArray(Long[]::new);
        Map<Long, List<FilmRecord>> filmsByActor = new LinkedHashMap<>();
        Map<Long, FilmRecord> films = new LinkedHashMap<>();
        for (Record r : ctx.select(FILM_ACTOR.ACTOR_ID).select(FILM.fields()).from(FILM_ACTOR).join(FILM)
                .on(FILM.ID.eq(FILM_ACTOR.FILM_ID)).where(FILM_ACTOR.ACTOR_ID.eq(org.jooq.impl.DSL.any(actorIds)))
                .orderBy(FILM_ACTOR.ACTOR_ID, FILM.ID).fetch()) {
            FilmRecord film = films.computeIfAbsent(r.get(FILM.ID), id -> r.into(FILM));
            filmsByActor.computeIfAbsent(r.get(FILM_ACTOR.ACTOR_ID), id -> new ArrayList<>()).add(film);
        }
        Map<Long, List<CategoryRecord>> categoriesByFilm = new LinkedHashMap<>();
        for (Record r : ctx.select(FILM_CATEGORY.FILM_ID).select(CATEGORY.fields()).from(FILM_CATEGORY).join(CATEGORY)
                .on(CATEGORY.ID.eq(FILM_CATEGORY.CATEGORY_ID))
                .where(FILM_CATEGORY.FILM_ID.eq(org.jooq.impl.DSL.any(films.keySet().toArray(Long[]::new))))
                .orderBy(FILM_CATEGORY.FILM_ID, CATEGORY.ID).fetch()) {
            categoriesByFilm.computeIfAbsent(r.get(FILM_CATEGORY.FILM_ID), id -> new ArrayList<>())
                    .add(r.into(CATEGORY));
        }
        List<ActorFilms> out = new ArrayList<>(roots.size());
        for (ActorRecord actor : roots) {
            List<FilmCategories> list = new ArrayList<>();
            for (FilmRecord film : filmsByActor.getOrDefault(actor.getId(), List.of())) {
                list.add(new FilmCategories(film, categoriesByFilm.getOrDefault(film.getId(), List.of())));
            }
            out.add(new ActorFilms(actor, list));
        }
        return out;
    }

    /** One flat statement: the first actors in a derived table, left-joined down to the categories. */
    public static List<ActorFilms> join(DSLContext ctx, int actors) {
        Table<ActorRecord> a = ctx.selectFrom(ACTOR).orderBy(ACTOR.ID).limit(actors).asTable("a");
        Result<Record> rows = ctx.select(a.fields()).select(FILM.fields()).select(CATEGORY.fields())
                .from(a)
                .leftJoin(FILM_ACTOR).on(FILM_ACTOR.ACTOR_ID.eq(a.field(ACTOR.ID)))
                .leftJoin(FILM).on(FILM.ID.eq(FILM_ACTOR.FILM_ID))
                .leftJoin(FILM_CATEGORY).on(FILM_CATEGORY.FILM_ID.eq(FILM.ID))
                .leftJoin(CATEGORY).on(CATEGORY.ID.eq(FILM_CATEGORY.CATEGORY_ID))
                .orderBy(a.field(ACTOR.ID), FILM.ID, CATEGORY.ID)
                .fetch();
        Map<Long, ActorFilms> out = new LinkedHashMap<>();
        Map<Long, FilmCategories> current = new LinkedHashMap<>();
        for (Record r : rows) {
            ActorFilms actor = out.computeIfAbsent(r.get(a.field(ACTOR.ID)), id -> {
                current.clear();
                return new ActorFilms(r.into(a), new ArrayList<>());
            });
            Long filmId = r.get(FILM.ID);
            if (filmId == null) {
                continue;
            }
            FilmCategories film = current.computeIfAbsent(filmId, id -> {
                FilmCategories f = new FilmCategories(r.into(FILM), new ArrayList<>());
                actor.films().add(f);
                return f;
            });
            if (r.get(CATEGORY.ID) != null) {
                film.categories().add(r.into(CATEGORY));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** One statement with nested MULTISETs, mapped with convertFrom. */
    public static List<ActorFilms> multisetQuery(DSLContext ctx, int actors) {
        return ctx.select(ACTOR,
                        multiset(select(FILM, multiset(select(CATEGORY).from(FILM_CATEGORY).join(CATEGORY)
                                .on(CATEGORY.ID.eq(FILM_CATEGORY.CATEGORY_ID))
                                .where(FILM_CATEGORY.FILM_ID.eq(FILM.ID)).orderBy(CATEGORY.ID))
                                .convertFrom(r -> r.map(c -> c.value1())))
                                .from(FILM_ACTOR).join(FILM).on(FILM.ID.eq(FILM_ACTOR.FILM_ID))
                                .where(FILM_ACTOR.ACTOR_ID.eq(ACTOR.ID)).orderBy(FILM.ID))
                                .convertFrom(r -> r.map(f -> new FilmCategories(f.value1(), f.value2()))))
                .from(ACTOR)
                .orderBy(ACTOR.ID)
                .limit(actors)
                .fetch(r -> new ActorFilms(r.value1(), r.value2()));
    }
}
