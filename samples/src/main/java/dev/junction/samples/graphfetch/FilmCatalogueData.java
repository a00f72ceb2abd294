package dev.junction.samples.graphfetch;

import org.jooq.DSLContext;

/**
 * Fills the film catalogue (schema {@code db/filmcatalogue}) with reproducible data: 16 categories, 6 languages,
 * {@code films} films with 0-3 categories each and an original language on a third of them, and {@code actors}
 * actors with 20-30 films each (every 37th actor has none), and the same films and links once more as the wide
 * variant ({@code wide_film}: tsvector, tags, timestamps, about 2 KB of synopsis). Run once on an empty schema.
 */
public final class FilmCatalogueData {
    private FilmCatalogueData() {
    }

    /** Inserts the data; {@code seed} in [-1, 1] makes PostgreSQL's random() choices reproducible. */
    public static void populate(DSLContext ctx, int actors, int films, double seed) {
        ctx.transaction(tx -> {
            DSLContext c = tx.dsl();
            c.fetch("select setseed(?)", seed);
            c.execute("insert into language (id, name) values (1, 'English'), (2, 'Italian'), (3, 'Japanese'),"
                    + " (4, 'Mandarin'), (5, 'French'), (6, 'German')");
            c.execute("insert into category (id, name) select i, (array['Action', 'Animation', 'Children',"
                    + " 'Classics', 'Comedy', 'Documentary', 'Drama', 'Family', 'Foreign', 'Games', 'Horror',"
                    + " 'Music', 'New', 'Sci-Fi', 'Sports', 'Travel'])[i] from generate_series(1, 16) i");
            c.execute("insert into actor (first_name, last_name) select 'First' || i, 'Last' || i"
                    + " from generate_series(1, ?) i", actors);
            c.execute("insert into film (title, description, release_year, language_id, original_language_id,"
                    + " length_minutes, rental_rate, rating)"
                    + " select 'Film ' || i, 'A ' || md5(i::text) || ' story of ' || (i % 97) || ' people',"
                    + " 1980 + i % 40, 1 + i % 6, case when i % 3 = 0 then 1 + (i + 1) % 6 end, 60 + i % 120,"
                    + " 0.99 + i % 5, (array['G', 'PG', 'PG-13', 'R', 'NC-17'])[1 + i % 5]"
                    + " from generate_series(1, ?) i", films);
            // The lateral subqueries refer to the outer row, so PostgreSQL draws new random films per actor.
            c.execute("insert into film_actor (actor_id, film_id) select a.id, f.id from actor a cross join lateral"
                    + " (select id from film where a.id > 0 order by random()"
                    + " limit case when a.id % 37 = 0 then 0 else 20 + a.id % 11 end) f");
            c.execute("insert into film_category (film_id, category_id) select f.id, c.id from film f"
                    + " cross join lateral (select id from category where f.id > 0 order by random()"
                    + " limit f.id % 4) c");
            // The wide variant: the same films and links, each film with a tsvector, tags, timestamps and about 2 KB of
            // synopsis (hex digests: they do not compress to nothing, as a repeated phrase would).
            c.execute("insert into wide_film (id, title, release_year, rating, search, tags, synopsis, created_at,"
                    + " updated_at, premiered_at)"
                    + " select id, title, release_year, rating, to_tsvector('english', title || ' ' || description),"
                    + " array['tag' || (id % 7), 'tag' || (id % 11), 'genre ' || (id % 5)],"
                    + " (select string_agg(md5(f.id::text || '-' || j::text), ' ') from generate_series(1, 60) j),"
                    + " timestamptz '2020-01-01 00:00:00+00' + id * interval '1 hour',"
                    + " timestamp '2021-06-01 12:00:00' + id * interval '1 minute',"
                    + " case when id % 4 <> 0 then timestamptz '1990-03-01 20:00:00+00' + id * interval '1 day' end"
                    + " from film f");
            c.execute("insert into wide_film_actor (actor_id, film_id) select actor_id, film_id from film_actor");
            c.execute("insert into wide_film_category (film_id, category_id) select film_id, category_id"
                    + " from film_category");
            c.execute("analyze");
        });
    }
}
