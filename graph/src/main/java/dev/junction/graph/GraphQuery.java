package dev.junction.graph;

import dev.junction.graph.internal.QueryText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jspecify.annotations.Nullable;

/**
 * An immutable description of a graph to fetch: a root table, the relations to follow (each with its own nested
 * query), and filter, order, limit and offset on the root. Every method returns a new query; instances are
 * thread-safe and may be kept in constants. Generated {@code *Graph.Query} classes wrap one of these with typed
 * methods.
 *
 * <p>Defaults: without {@link #orderBy}, rows are ordered by the table's primary key (when it has one), so results
 * are deterministic; without {@link #limit}, all matching rows are read.
 *
 * @param <R> the root's record type
 */
public final class GraphQuery<R extends Record> {
    private final Table<R> table;
    private final List<Link<R, ?>> links;
    private final @Nullable Condition where;
    private final List<OrderField<?>> orderBy;
    private final int limit;
    private final int offset;
    private final @Nullable Strategy strategy;
    /** The chosen columns: the table's own fields, in table order, each once; empty for every column. */
    private final List<Field<?>> selection;

    private GraphQuery(Table<R> table, List<Link<R, ?>> links, @Nullable Condition where, List<OrderField<?>> orderBy,
            int limit, int offset, @Nullable Strategy strategy, List<Field<?>> selection) {
        this.table = table;
        this.selection = selection;
        this.links = List.copyOf(links);
        this.where = where;
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
        this.strategy = strategy;
    }

    /** A query for all rows of {@code table}, with no relations. */
    public static <R extends Record> GraphQuery<R> of(Table<R> table) {
        return new GraphQuery<>(Objects.requireNonNull(table, "table"), List.of(), null, List.of(), -1, -1, null,
                List.of());
    }

    /**
     * One followed relation and the query for its rows.
     *
     * @param <S> the source record type
     * @param <T> the related record type
     */
    public record Link<S extends Record, T extends Record>(Relation<S, T> relation, GraphQuery<T> query) {
        /** Checks that the nested query starts at the relation's target. */
        public Link {
            Objects.requireNonNull(relation, "relation");
            Objects.requireNonNull(query, "query");
            if (!relation.target().equals(query.table())) {
                throw new IllegalArgumentException("relation " + relation + " leads to " + relation.target()
                        .getName() + ", but the nested query starts at " + query.table().getName());
            }
        }
    }

    /** Also fetches {@code relation} with no nested relations of its own. */
    public <T extends Record> GraphQuery<R> with(Relation<R, T> relation) {
        return with(relation, of(relation.target()));
    }

    /**
     * Also fetches {@code relation}, with the relations, filter, order and limit of {@code nested} applied to the
     * related rows. Replaces an earlier {@code with} of the same relation.
     *
     * @throws IllegalArgumentException when {@code relation} does not start at this query's table, or when it is
     *     to-one and {@code nested} sets where, orderBy, limit or offset (a to-one relation has at most one row; filter
     *     the root instead)
     */
    public <T extends Record> GraphQuery<R> with(Relation<R, T> relation, GraphQuery<T> nested) {
        if (!relation.source().equals(table)) {
            throw new IllegalArgumentException("relation " + relation + " starts at " + relation.source().getName()
                    + ", not at " + table.getName() + "; use a relation constant of " + table.getName() + "'s graph");
        }
        if (relation.isToOne() && (nested.where != null || !nested.orderBy.isEmpty() || nested.limit >= 0
                || nested.offset >= 0)) {
            throw new IllegalArgumentException("relation '" + relation.name() + "' is to-one: its nested query must"
                    + " not set where, orderBy, limit or offset (it reads at most one row per " + table.getName()
                    + "); filter the root query instead");
        }
        List<Link<R, ?>> next = new ArrayList<>(links.size() + 1);
        for (Link<R, ?> link : links) {
            if (link.relation() != relation) {
                next.add(link);
            }
        }
        next.add(new Link<>(relation, nested));
        return new GraphQuery<>(table, next, where, orderBy, limit, offset, strategy, selection);
    }

    /**
     * Reads only {@code fields} of this query's table, replacing an earlier choice (default: every column). The
     * records then hold exactly the chosen columns; every other column is null, whatever the strategy. The keys that
     * stitch the graph together (the primary key, and the columns of the relations followed from and to this table)
     * are read as well when they are not chosen, but are not set in the records: choose them to read them.
     *
     * @throws IllegalArgumentException when {@code fields} is empty or names a column that is not one of this
     *     query's table (a field of another table or of an alias)
     */
    public GraphQuery<R> select(Field<?>... fields) {
        return select(Arrays.asList(fields.clone()));
    }

    /**
     * {@link #select(Field[])} with the fields in a collection.
     *
     * @throws IllegalArgumentException as {@link #select(Field[])}
     */
    public GraphQuery<R> select(Collection<? extends Field<?>> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("select(...) on " + table.getName() + " needs at least one column;"
                    + " to read every column, do not call select");
        }
        Field<?>[] all = table.fields();
        boolean[] chosen = new boolean[all.length];
        for (Field<?> f : fields) {
            Objects.requireNonNull(f, "select field");
            int i = table.indexOf(f);
            if (i < 0 || !sameColumn(all[i], f)) {
                throw new IllegalArgumentException("select(...) on " + table.getName() + ": " + f
                        + " is not a column of " + table.getName() + "; choose fields of " + table.getName()
                        + " itself (as generated, not of an alias or another table)");
            }
            chosen[i] = true;
        }
        List<Field<?>> selection = new ArrayList<>(fields.size());
        for (int i = 0; i < all.length; i++) {
            if (chosen[i]) {
                selection.add(all[i]);
            }
        }
        return new GraphQuery<>(table, links, where, orderBy, limit, offset, strategy, List.copyOf(selection));
    }

    /** jOOQ's {@code indexOf} also matches a field of another table by name; a choice must be this table's. */
    private boolean sameColumn(Field<?> own, Field<?> given) {
        if (given instanceof TableField<?, ?> tf) {
            return tf.getTable() == null || tf.getTable().equals(table);
        }
        return own.equals(given);
    }

    /** Keeps only rows matching {@code condition}, combined with AND with earlier conditions. */
    public GraphQuery<R> where(Condition condition) {
        Objects.requireNonNull(condition, "condition");
        return new GraphQuery<>(table, links, where == null ? condition : where.and(condition), orderBy, limit, offset,
                strategy, selection);
    }

    /** Orders rows by {@code fields}, replacing an earlier order (default: the primary key). */
    public GraphQuery<R> orderBy(OrderField<?>... fields) {
        List<OrderField<?>> order = Arrays.asList(fields.clone());
        order.forEach(f -> Objects.requireNonNull(f, "orderBy field"));
        return new GraphQuery<>(table, links, where, order, limit, offset, strategy, selection);
    }

    /**
     * Reads at most {@code limit} rows (per parent row, for a nested to-many query).
     *
     * @throws IllegalArgumentException when {@code limit < 0}
     */
    public GraphQuery<R> limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, but was " + limit);
        }
        return new GraphQuery<>(table, links, where, orderBy, limit, offset, strategy, selection);
    }

    /**
     * Skips the first {@code offset} rows (per parent row, for a nested to-many query).
     *
     * @throws IllegalArgumentException when {@code offset < 0}
     */
    public GraphQuery<R> offset(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, but was " + offset);
        }
        return new GraphQuery<>(table, links, where, orderBy, limit, offset, strategy, selection);
    }

    /**
     * Reads this graph with {@code strategy} instead of {@link Strategy#defaultStrategy()} (the automatic choice), for
     * example {@code Strategy.perLevel()}. Root queries only: a nested query's strategy is ignored.
     */
    public GraphQuery<R> strategy(Strategy strategy) {
        return new GraphQuery<>(table, links, where, orderBy, limit, offset,
                Objects.requireNonNull(strategy, "strategy"), selection);
    }

    /** Reads the graph with this query's strategy (or the default one). */
    public List<GraphRow<R>> fetch(DSLContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        return effectiveStrategy().fetch(ctx, this);
    }

    /** Reads the graph and maps every root with {@code mapper} (generated code passes its node factory). */
    public <N> List<N> fetch(DSLContext ctx, Function<GraphRow<R>, N> mapper) {
        List<GraphRow<R>> rows = fetch(ctx);
        List<N> nodes = new ArrayList<>(rows.size());
        for (GraphRow<R> row : rows) {
            nodes.add(mapper.apply(row));
        }
        return List.copyOf(nodes);
    }

    /** The root table. */
    public Table<R> table() {
        return table;
    }

    /** The followed relations in the order they were added. */
    public List<Link<R, ?>> links() {
        return links;
    }

    /** The filter on this query's rows, if any; it refers to {@link #table()} itself, not to an alias. */
    public @Nullable Condition where() {
        return where;
    }

    /** The explicit order; empty means "by primary key". */
    public List<OrderField<?>> orderBy() {
        return orderBy;
    }

    /**
     * The columns chosen with {@link #select}: this table's fields in table order, each once; empty when every column
     * is read.
     */
    public List<Field<?>> selection() {
        return selection;
    }

    /** The limit, if set. */
    public OptionalInt limit() {
        return limit < 0 ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    /** The offset, if set. */
    public OptionalInt offset() {
        return offset < 0 ? OptionalInt.empty() : OptionalInt.of(offset);
    }

    /** The strategy named for this query, or the default one. */
    public Strategy effectiveStrategy() {
        return strategy == null ? Strategy.defaultStrategy() : strategy;
    }

    /** True when this query sets a filter or an explicit order (which refer to the table itself, not an alias). */
    public boolean refersToTable() {
        return where != null || !orderBy.isEmpty();
    }

    /** For example {@code tailor{user, sampleWorks{photos}} where ... limit 20}. */
    @Override
    public String toString() {
        return QueryText.describe(this);
    }
}
