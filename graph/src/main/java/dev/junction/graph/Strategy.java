package dev.junction.graph;

import dev.junction.graph.internal.Strategies;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * How a {@link GraphQuery} is read from the database. Every strategy returns the same graph for the same data: roots
 * in the query's order, to-many children in their query's order, to-one relations null when the foreign key is null.
 * Implementations are stateless and thread-safe.
 *
 * <p>Junction's strategies:
 * <ul>
 *   <li>{@link #perLevel()}: one select per to-many level, to-ones joined in, all sent in one message in one
 *       snapshot: one round trip, and no row is repeated for a sibling or child relation. Scales with the number of
 *       roots. {@link #perLevel(int)} sends them one by one with the parent keys bound, a round trip each.
 *   <li>{@link #join()}: one flat statement of left joins. Fastest for a page of roots when the to-many relations lie
 *       on one path; unusable with two to-many branches, which would multiply each other's rows.
 *   <li>{@link #multiset()}: one statement with a nested {@code MULTISET} per relation. One round trip for any shape,
 *       but PostgreSQL builds and jOOQ parses JSON for every row, which costs more than it saves beyond a few roots.
 *   <li>{@link #automatic()}, the default: one of the three, chosen from the graph's shape (and, where per-level
 *       cannot send its levels together, the number of roots).
 * </ul>
 *
 * <p>Every strategy Junction ships reports what it did: a debug line on this interface's logger
 * ({@code dev.junction.graph.Strategy}) and, inside a Junction unit of work, a line in
 * {@code UnitReport.notes()}; neither contains the query's filter values.
 */
public interface Strategy {

    /** A short name for logs and reports: {@code per-level}, {@code join}, {@code multiset} or {@code automatic}. */
    String name();

    /** Reads the graph described by {@code query} with {@code ctx}. */
    <R extends Record> List<GraphRow<R>> fetch(DSLContext ctx, GraphQuery<R> query);

    /**
     * The strategy that would read {@code query}: this one, or for {@link #automatic()} the one it chooses. Runs no
     * statement.
     */
    default Strategy resolve(GraphQuery<?> query) {
        return this;
    }

    /**
     * One select per level: the roots, then per to-many relation the children of all parents, each level's select
     * choosing its parents' keys itself, {@code fk = ANY(ARRAY(SELECT key FROM <the parent level's selection>))}
     * ({@code (a, b) IN (SELECT ...)} for composite keys). To-one relations are left-joined into the select of the
     * level that references them; a row shared by several parents is one node, and its children are read once.
     *
     * <p>All selects travel in one message and one round trip, in one short {@code REPEATABLE READ, READ ONLY}
     * transaction whose {@code SET TRANSACTION} and {@code COMMIT} travel with them, so every select sees the same
     * parents and a concurrent writer cannot tear the graph; inside a transaction that is already open (a write
     * unit) they run in that transaction instead. The root filter is evaluated once per level, so it must not use
     * volatile functions such as {@code random()}. A level with a limit or offset (the roots, or a per-parent limit)
     * is ordered by its key after its own order, so that every select picks the same rows; when such a level's
     * table has no primary key, the levels are sent one by one as with {@link #perLevel(int)}.
     */
    static Strategy perLevel() {
        return Strategies.perLevel();
    }

    /**
     * Per level, statement by statement: the roots, then per to-many relation the children of the parents read so
     * far, selected with {@code fk = ANY(?)} (one array parameter; {@code (a, b) IN (SELECT * FROM unnest(?, ?))} for
     * composite keys) in chunks of at most {@code maxKeysPerStatement} parent keys; a round trip per statement. The
     * snapshot is the same as {@link #perLevel()}'s, its {@code SET TRANSACTION} sent with the first statement and
     * its {@code COMMIT} with the last.
     *
     * @throws IllegalArgumentException when {@code maxKeysPerStatement < 1}
     */
    static Strategy perLevel(int maxKeysPerStatement) {
        return Strategies.perLevel(maxKeysPerStatement);
    }

    /**
     * One flat statement: roots numbered in a derived table, every relation left-joined (a per-parent limit as a
     * {@code LATERAL} subquery), ordered by root and by each to-many level's order, folded back into the graph.
     * Reading a graph whose to-many relations are not on one path, or that joins a to-many table without a primary
     * key, throws {@link IllegalArgumentException}.
     */
    static Strategy join() {
        return Strategies.join();
    }

    /**
     * One statement: every relation is a correlated {@code MULTISET} subquery (rendered by jOOQ on PostgreSQL as
     * {@code jsonb_agg}), nested as deep as the query.
     */
    static Strategy multiset() {
        return Strategies.multiset();
    }

    /**
     * Chooses per fetch: {@link #join()} for a graph of to-one relations only, {@link #perLevel()} when its levels can
     * travel in one message (every limited level's table has a primary key). Otherwise by the number of roots (the
     * root query's limit, or the values of a {@code where} on the primary key): {@link #join()} when the to-many
     * relations lie on one path and the roots are few, {@link #multiset()} for a few roots with several to-many
     * branches, else {@link #perLevel()}. See docs/round-trips.md for the measurements behind the choice.
     */
    static Strategy automatic() {
        return Strategies.automatic();
    }

    /** The strategy used when a query names none: {@link #automatic()}. */
    static Strategy defaultStrategy() {
        return automatic();
    }
}
