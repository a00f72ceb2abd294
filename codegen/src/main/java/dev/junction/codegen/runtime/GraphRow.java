package dev.junction.codegen.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * One node of a fetched graph before generated code maps it into its typed {@code Node} record: the row itself plus,
 * per fetched relation, the related row (to-one, possibly absent) or rows (to-many, possibly empty).
 * {@link Strategy} implementations create these with {@link #of}; they are immutable.
 *
 * @param <R> the row's record type
 */
public final class GraphRow<R extends Record> {
    private final R record;
    private final Map<Relation<R, ?>, Object> related;

    private GraphRow(R record, Map<Relation<R, ?>, Object> related) {
        this.record = record;
        this.related = related;
    }

    /**
     * A node. {@code related} maps every fetched relation to a {@code GraphRow} or {@code null} (to-one) or to a
     * {@code List<GraphRow>} (to-many); relations that were not fetched are absent.
     *
     * @throws IllegalArgumentException when a value does not match its relation's cardinality
     */
    public static <R extends Record> GraphRow<R> of(R record, Map<Relation<R, ?>, ?> related) {
        Objects.requireNonNull(record, "record");
        Map<Relation<R, ?>, Object> copy = new IdentityHashMap<>(Math.max(4, related.size() * 2));
        for (Map.Entry<Relation<R, ?>, ?> e : related.entrySet()) {
            Object value = e.getValue();
            boolean ok = e.getKey().isToOne() ? value == null || value instanceof GraphRow<?> : value instanceof List<?>;
            if (!ok) {
                throw new IllegalArgumentException("relation " + e.getKey() + " needs "
                        + (e.getKey().isToOne() ? "a GraphRow or null" : "a List<GraphRow>") + ", but got "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            copy.put(e.getKey(), e.getKey().isToOne() ? value : List.copyOf((List<?>) value));
        }
        return new GraphRow<>(record, Collections.unmodifiableMap(copy));
    }

    /** The row itself. */
    public R record() {
        return record;
    }

    /** True when {@code relation} was part of the query that produced this node. */
    public boolean fetched(Relation<R, ?> relation) {
        return related.containsKey(relation);
    }

    /** The relations that were part of the query that produced this node. */
    public Set<Relation<R, ?>> fetched() {
        return related.keySet();
    }

    /**
     * The related row of a to-one relation: null when the relation was not fetched or the foreign key is null.
     *
     * @throws IllegalArgumentException for a to-many relation
     */
    @SuppressWarnings("unchecked")
    public <T extends Record> @Nullable GraphRow<T> one(Relation<R, T> relation) {
        if (!relation.isToOne()) {
            throw new IllegalArgumentException("relation " + relation + " is to-many; use many(...)");
        }
        return (GraphRow<T>) related.get(relation);
    }

    /**
     * The related rows of a to-many relation in query order: empty when the relation was not fetched.
     *
     * @throws IllegalArgumentException for a to-one relation
     */
    @SuppressWarnings("unchecked")
    public <T extends Record> List<GraphRow<T>> many(Relation<R, T> relation) {
        if (relation.isToOne()) {
            throw new IllegalArgumentException("relation " + relation + " is to-one; use one(...)");
        }
        Object value = related.get(relation);
        return value == null ? List.of() : (List<GraphRow<T>>) value;
    }

    /** {@link #one(Relation)} mapped by {@code mapper} (generated code passes the target's node factory). */
    public <T extends Record, N> @Nullable N one(Relation<R, T> relation, Function<GraphRow<T>, N> mapper) {
        GraphRow<T> row = one(relation);
        return row == null ? null : mapper.apply(row);
    }

    /** {@link #many(Relation)} mapped by {@code mapper} into an unmodifiable list. */
    public <T extends Record, N> List<N> many(Relation<R, T> relation, Function<GraphRow<T>, N> mapper) {
        List<GraphRow<T>> rows = many(relation);
        return rows.isEmpty() ? List.of() : rows.stream().map(mapper).toList();
    }

    @Override
    public String toString() {
        return "GraphRow[" + record.getClass().getSimpleName() + ", fetched=" + related.keySet().stream()
                .map(Relation::name).toList() + "]";
    }
}
