package dev.junction.codegen.runtime;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * How a {@link GraphQuery} is read from the database. Every strategy returns the same graph for the same data: roots
 * in the query's order, to-many children in their query's order, to-one relations null when the foreign key is null.
 * Implementations are stateless and thread-safe.
 *
 * <p>Available now: {@link #multiset()} (one statement). Planned behind the same seam: one statement per nesting
 * level and a flat JOIN, chosen automatically by the graph's shape and size.
 */
public interface Strategy {

    /** A short name for logs and reports, e.g. {@code multiset}. */
    String name();

    /** Reads the graph described by {@code query} with {@code ctx}. */
    <R extends Record> List<GraphRow<R>> fetch(DSLContext ctx, GraphQuery<R> query);

    /**
     * One statement: every relation is a correlated {@code MULTISET} subquery (rendered by jOOQ on PostgreSQL as
     * {@code jsonb_agg}), nested as deep as the query. Best for page-sized roots (tens to hundreds).
     */
    static Strategy multiset() {
        return MultisetStrategy.INSTANCE;
    }

    /** The strategy used when a query names none: currently {@link #multiset()}. */
    static Strategy defaultStrategy() {
        return multiset();
    }
}
