package dev.junction.samples.graphfetch;

import static dev.junction.samples.graphfetch.db.Tables.ACTOR;
import static dev.junction.samples.graphfetch.db.Tables.CATEGORY;
import static dev.junction.samples.graphfetch.db.Tables.WIDE_FILM;
import static dev.junction.samples.graphfetch.db.Tables.WIDE_FILM_ACTOR;
import static dev.junction.samples.graphfetch.db.Tables.WIDE_FILM_CATEGORY;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import dev.junction.graph.Strategy;
import dev.junction.samples.graphfetch.db.graphs.ActorGraph;
import dev.junction.samples.graphfetch.db.graphs.CategoryGraph;
import dev.junction.samples.graphfetch.db.graphs.WideFilmActorGraph;
import dev.junction.samples.graphfetch.db.graphs.WideFilmCategoryGraph;
import dev.junction.samples.graphfetch.db.graphs.WideFilmGraph;
import dev.junction.samples.graphfetch.db.tables.records.ActorRecord;
import dev.junction.samples.graphfetch.db.tables.records.CategoryRecord;
import dev.junction.samples.graphfetch.db.tables.records.WideFilmRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The wide variant of {@link FilmCatalogue} (issue 21): the same graph over {@code wide_film}, whose rows carry a
 * tsvector, tags, timestamps and about 2 KB of synopsis that a page of actors and their film titles does not show.
 * Every shape reads the same columns: the actor's id and names, the film's id, title, year and rating, the category's
 * name; the hand-written ones choose them in their selects, the generated fetcher with {@code select(...)} per level.
 * Every record holds exactly those columns (the others are null). Stateless and thread-safe.
 */
public final class WideFilmCatalogue {
    private WideFilmCatalogue() {
    }

    /**
     * An actor with their films in film id order.
     *
     * @param actor the actor (id and names)
     * @param films the actor's films with their categories
     */
    public record ActorFilms(ActorRecord actor, List<FilmCategories> films) {
    }

    /**
     * A film with its categories in category id order.
     *
     * @param film       the film (id, title, release year, rating)
     * @param categories its categories (name)
     */
    public record FilmCategories(WideFilmRecord film, List<CategoryRecord> categories) {
    }

    // tag::projection[]
    /** The graph of {@link FilmCatalogue#actorsWithFilms}, reading only the columns the page shows. */
    public static ActorGraph.Query actorsWithFilmTitles(int actors) {
        return ActorGraph.query()
                .select(ACTOR.ID, ACTOR.FIRST_NAME, ACTOR.LAST_NAME)
                .withWideFilmActors(WideFilmActorGraph.query()
                        .withFilm(WideFilmGraph.query()
                                .select(WIDE_FILM.ID, WIDE_FILM.TITLE, WIDE_FILM.RELEASE_YEAR, WIDE_FILM.RATING)
                                .withWideFilmCategories(WideFilmCategoryGraph.query()
                                        .withCategory(CategoryGraph.query().select(CATEGORY.NAME)))))
                .orderBy(ACTOR.ID)
                .limit(actors);
    }
    // end::projection[]

    /** The generated fetcher with the projection, in the hand-written shape. */
    public static List<ActorFilms> generated(DSLContext ctx, int actors) {
        return flatten(actorsWithFilmTitles(actors).fetch(ctx));
    }

    /** The same, read with a strategy named per call instead of the automatic choice. */
    public static List<ActorFilms> generated(DSLContext ctx, int actors, Strategy strategy) {
        return flatten(actorsWithFilmTitles(actors).strategy(strategy).fetch(ctx));
    }

    private static List<ActorFilms> flatten(List<ActorGraph.Node> nodes) {
        List<ActorFilms> out = new ArrayList<>(nodes.size());
        for (ActorGraph.Node actor : nodes) {
            List<FilmCategories> films = new ArrayList<>(actor.wideFilmActors().size());
            for (WideFilmActorGraph.Node link : actor.wideFilmActors()) {
                WideFilmGraph.Node film = link.film();
                if (film == null) {
                    throw new IllegalStateException("wide_film_actor.film_id is not null, so its film must be fetched");
                }
                List<CategoryRecord> categories = new ArrayList<>(film.wideFilmCategories().size());
                for (WideFilmCategoryGraph.Node fc : film.wideFilmCategories()) {
                    if (fc.category() != null) {
                        categories.add(fc.category().category());
                    }
                }
                films.add(new FilmCategories(film.wideFilm(), categories));
            }
            out.add(new ActorFilms(actor.actor(), films));
        }
        return out;
    }

    /** One query per level with the chosen columns, children by {@code = ANY(?)}. */
    public static List<ActorFilms> perLevel(DSLContext ctx, int actors) {
        Result<Record3<Long, String, String>> roots = ctx.select(ACTOR.ID, ACTOR.FIRST_NAME, ACTOR.LAST_NAME)
                .from(ACTOR).orderBy(ACTOR.ID).limit(actors).fetch();
        Long[] actorIds = roots.map(Record3::value1).toArray(Long[]::new);
        Map<Long, List<WideFilmRecord>> filmsByActor = new LinkedHashMap<>();
        Map<Long, WideFilmRecord> films = new LinkedHashMap<>();
        for (Record r : ctx.select(WIDE_FILM_ACTOR.ACTOR_ID, WIDE_FILM.ID, WIDE_FILM.TITLE, WIDE_FILM.RELEASE_YEAR,
                        WIDE_FILM.RATING)
                .from(WIDE_FILM_ACTOR).join(WIDE_FILM).on(WIDE_FILM.ID.eq(WIDE_FILM_ACTOR.FILM_ID))
                .where(WIDE_FILM_ACTOR.ACTOR_ID.eq(DSL.any(actorIds)))
                .orderBy(WIDE_FILM_ACTOR.ACTOR_ID, WIDE_FILM.ID).fetch()) {
            WideFilmRecord film = films.computeIfAbsent(r.get(WIDE_FILM.ID), id -> film(ctx, id,
                    r.get(WIDE_FILM.TITLE), r.get(WIDE_FILM.RELEASE_YEAR), r.get(WIDE_FILM.RATING)));
            filmsByActor.computeIfAbsent(r.get(WIDE_FILM_ACTOR.ACTOR_ID), id -> new ArrayList<>()).add(film);
        }
        Map<Long, List<CategoryRecord>> categoriesByFilm = new LinkedHashMap<>();
        for (Record r : ctx.select(WIDE_FILM_CATEGORY.FILM_ID, CATEGORY.NAME).from(WIDE_FILM_CATEGORY).join(CATEGORY)
                .on(CATEGORY.ID.eq(WIDE_FILM_CATEGORY.CATEGORY_ID))
                .where(WIDE_FILM_CATEGORY.FILM_ID.eq(DSL.any(films.keySet().toArray(Long[]::new))))
                .orderBy(WIDE_FILM_CATEGORY.FILM_ID, CATEGORY.ID).fetch()) {
            categoriesByFilm.computeIfAbsent(r.get(WIDE_FILM_CATEGORY.FILM_ID), id -> new ArrayList<>())
                    .add(category(ctx, r.get(CATEGORY.NAME)));
        }
        List<ActorFilms> out = new ArrayList<>(roots.size());
        for (Record3<Long, String, String> actor : roots) {
            List<FilmCategories> list = new ArrayList<>();
            for (WideFilmRecord film : filmsByActor.getOrDefault(actor.value1(), List.of())) {
                list.add(new FilmCategories(film, categoriesByFilm.getOrDefault(film.getId(), List.of())));
            }
            out.add(new ActorFilms(actor(ctx, actor.value1(), actor.value2(), actor.value3()), list));
        }
        return out;
    }

    /** One flat statement with the chosen columns: the first actors in a derived table, left-joined down. */
    public static List<ActorFilms> join(DSLContext ctx, int actors) {
        Table<Record3<Long, String, String>> a = ctx.select(ACTOR.ID, ACTOR.FIRST_NAME, ACTOR.LAST_NAME).from(ACTOR)
                .orderBy(ACTOR.ID).limit(actors).asTable("a");
        Field<Long> actorId = a.field(ACTOR.ID);
        Field<String> first = a.field(ACTOR.FIRST_NAME);
        Field<String> last = a.field(ACTOR.LAST_NAME);
        Result<Record> rows = ctx.select(actorId, first, last)
                .select(WIDE_FILM.ID, WIDE_FILM.TITLE, WIDE_FILM.RELEASE_YEAR, WIDE_FILM.RATING)
                .select(CATEGORY.ID, CATEGORY.NAME)
                .from(a)
                .leftJoin(WIDE_FILM_ACTOR).on(WIDE_FILM_ACTOR.ACTOR_ID.eq(actorId))
                .leftJoin(WIDE_FILM).on(WIDE_FILM.ID.eq(WIDE_FILM_ACTOR.FILM_ID))
                .leftJoin(WIDE_FILM_CATEGORY).on(WIDE_FILM_CATEGORY.FILM_ID.eq(WIDE_FILM.ID))
                .leftJoin(CATEGORY).on(CATEGORY.ID.eq(WIDE_FILM_CATEGORY.CATEGORY_ID))
                .orderBy(actorId, WIDE_FILM.ID, CATEGORY.ID)
                .fetch();
        Map<Long, ActorFilms> out = new LinkedHashMap<>();
        Map<Long, FilmCategories> current = new LinkedHashMap<>();
        for (Record r : rows) {
            ActorFilms actor = out.computeIfAbsent(r.get(actorId), id -> {
                current.clear();
                return new ActorFilms(actor(ctx, id, r.get(first), r.get(last)), new ArrayList<>());
            });
            Long filmId = r.get(WIDE_FILM.ID);
            if (filmId == null) {
                continue;
            }
            FilmCategories film = current.computeIfAbsent(filmId, id -> {
                FilmCategories f = new FilmCategories(film(ctx, id, r.get(WIDE_FILM.TITLE),
                        r.get(WIDE_FILM.RELEASE_YEAR), r.get(WIDE_FILM.RATING)), new ArrayList<>());
                actor.films().add(f);
                return f;
            });
            if (r.get(CATEGORY.ID) != null) {
                film.categories().add(category(ctx, r.get(CATEGORY.NAME)));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** One statement with nested MULTISETs over the chosen columns, mapped with convertFrom. */
    public static List<ActorFilms> multisetQuery(DSLContext ctx, int actors) {
        return ctx.select(ACTOR.ID, ACTOR.FIRST_NAME, ACTOR.LAST_NAME,
                        multiset(select(WIDE_FILM.ID, WIDE_FILM.TITLE, WIDE_FILM.RELEASE_YEAR, WIDE_FILM.RATING,
                                multiset(select(CATEGORY.NAME).from(WIDE_FILM_CATEGORY).join(CATEGORY)
                                        .on(CATEGORY.ID.eq(WIDE_FILM_CATEGORY.CATEGORY_ID))
                                        .where(WIDE_FILM_CATEGORY.FILM_ID.eq(WIDE_FILM.ID)).orderBy(CATEGORY.ID))
                                        .convertFrom(r -> r.map(c -> category(ctx, c.value1()))))
                                .from(WIDE_FILM_ACTOR).join(WIDE_FILM).on(WIDE_FILM.ID.eq(WIDE_FILM_ACTOR.FILM_ID))
                                .where(WIDE_FILM_ACTOR.ACTOR_ID.eq(ACTOR.ID)).orderBy(WIDE_FILM.ID))
                                .convertFrom(r -> r.map(f -> new FilmCategories(film(ctx, f.value1(), f.value2(),
                                        f.value3(), f.value4()), f.value5()))))
                .from(ACTOR)
                .orderBy(ACTOR.ID)
                .limit(actors)
                .fetch(r -> new ActorFilms(actor(ctx, r.value1(), r.value2(), r.value3()), r.value4()));
    }

    private static ActorRecord actor(DSLContext ctx, Long id, String first, String last) {
        ActorRecord r = ctx.newRecord(ACTOR);
        r.setId(id);
        r.setFirstName(first);
        r.setLastName(last);
        r.changed(false);
        return r;
    }

    private static WideFilmRecord film(DSLContext ctx, Long id, String title, @Nullable Integer year,
            @Nullable String rating) {
        WideFilmRecord r = ctx.newRecord(WIDE_FILM);
        r.setId(id);
        r.setTitle(title);
        r.setReleaseYear(year);
        r.setRating(rating);
        r.changed(false);
        return r;
    }

    private static CategoryRecord category(DSLContext ctx, String name) {
        CategoryRecord r = ctx.newRecord(CATEGORY);
        r.setName(name);
        r.changed(false);
        return r;
    }
}
