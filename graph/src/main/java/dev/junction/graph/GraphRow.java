package dev.junction.graph;

import dev.junction.graph.internal.GraphRows;
import dev.junction.graph.internal.RowLayout;
import java.util.ArrayList;
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
    static {
        // Junction's strategies assemble rows in place (shared rows, to-many lists filled as their rows arrive);
        // this hands them the private constructor and the value slots without making either public.
        GraphRows.install(new GraphRows.Access() {
            @Override
            public <T extends Record> GraphRow<T> create(T record, RowLayout layout, @Nullable Object[] values) {
                return new GraphRow<>(record, layout, values);
            }

            @Override
            public @Nullable Object[] values(GraphRow<?> row) {
                return row.values;
            }
        });
    }

    private final R record;
    private final RowLayout layout;
    /**
     * Per relation of the layout: a GraphRow or null (to-one), an unmodifiable List of GraphRows (to-many). Junction's
     * strategies fill it while they assemble the graph (to-many slots hold an ArrayList until the graph is complete)
     * and never change it after handing the row out.
     */
    private final @Nullable Object[] values;
    /**
     * The last mapping of this row ({@link #map}), so a row shared by several parents becomes one typed node. Not
     * volatile: a thread that misses another's write maps the row again, and a {@link Mapped} is safely published
     * through its final fields.
     */
    private @Nullable Mapped mapped;

    private record Mapped(Function<?, ?> mapper, Object node) {
    }

    private GraphRow(R record, RowLayout layout, @Nullable Object[] values) {
        this.record = record;
        this.layout = layout;
        this.values = values;
    }

    /**
     * A node. {@code related} maps every fetched relation to a {@code GraphRow} or {@code null} (to-one) or to a
     * {@code List<GraphRow>} (to-many); relations that were not fetched are absent.
     *
     * @throws IllegalArgumentException when a value does not match its relation's cardinality
     */
    public static <R extends Record> GraphRow<R> of(R record, Map<Relation<R, ?>, ?> related) {
        Objects.requireNonNull(record, "record");
        List<Relation<?, ?>> relations = new ArrayList<>(related.keySet());
        RowLayout layout = new RowLayout(relations);
        Object[] values = new Object[relations.size()];
        for (int i = 0; i < relations.size(); i++) {
            Relation<?, ?> relation = relations.get(i);
            Object value = related.get(relation);
            boolean ok = relation.isToOne() ? value == null || value instanceof GraphRow<?> : value instanceof List<?>;
            if (!ok) {
                throw new IllegalArgumentException("relation " + relation + " needs "
                        + (relation.isToOne() ? "a GraphRow or null" : "a List<GraphRow>") + ", but got "
                        + (value == null ? "null" : value.getClass().getName()));
            }
            values[i] = relation.isToOne() ? value : List.copyOf((List<?>) value);
        }
        return new GraphRow<>(record, layout, values);
    }

    /**
     * {@code mapper} applied to this row, remembered: a row shared by several parents (a to-one target) is mapped once
     * per mapper, so its typed node and everything below it exist once, as its rows do.
     */
    @SuppressWarnings("unchecked")
    private <N> N map(Function<GraphRow<R>, N> mapper) {
        Mapped m = mapped;
        if (m != null && m.mapper() == mapper) {
            return (N) m.node();
        }
        N node = Objects.requireNonNull(mapper.apply(this), "mapper returned null");
        mapped = new Mapped(mapper, node);
        return node;
    }

    /** The row itself. */
    public R record() {
        return record;
    }

    /** True when {@code relation} was part of the query that produced this node. */
    public boolean fetched(Relation<R, ?> relation) {
        return layout.indexOf(relation) >= 0;
    }

    /** The relations that were part of the query that produced this node (an unmodifiable set). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Set<Relation<R, ?>> fetched() {
        return (Set) layout.fetched();
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
        int i = layout.indexOf(relation);
        return i < 0 ? null : (GraphRow<T>) values[i];
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
        int i = layout.indexOf(relation);
        return i < 0 ? List.of() : (List<GraphRow<T>>) values[i];
    }

    /** {@link #one(Relation)} mapped by {@code mapper} (generated code passes the target's node factory). */
    public <T extends Record, N> @Nullable N one(Relation<R, T> relation, Function<GraphRow<T>, N> mapper) {
        GraphRow<T> row = one(relation);
        return row == null ? null : row.map(mapper);
    }

    /** {@link #many(Relation)} mapped by {@code mapper} into an unmodifiable list. */
    @SuppressWarnings("unchecked")
    public <T extends Record, N> List<N> many(Relation<R, T> relation, Function<GraphRow<T>, N> mapper) {
        List<GraphRow<T>> rows = many(relation);
        if (rows.isEmpty()) {
            return List.of();
        }
        Object[] nodes = new Object[rows.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = rows.get(i).map(mapper);
        }
        // List.of keeps the list as it is when a generated Node copies it with List.copyOf.
        return (List<N>) List.of(nodes);
    }

    @Override
    public String toString() {
        return "GraphRow[" + record.getClass().getSimpleName() + ", fetched=" + layout.fetched().stream()
                .map(Relation::name).sorted().toList() + "]";
    }
}
