package dev.junction.graph;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.conf.Settings;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a graph query unfolded into a tree of {@link Node}s (one per table occurrence), without any of the
 * query's values (filters, limits, offsets, explicit orders): immutable, shared by every fetch of the same shape, and
 * cached. A fetch pairs it with its own queries in a {@link Bound}. Strategies keep what they derive from a plan (the
 * levels, the rendered SQL of their statements) in the plan with {@link #compiled}, so that a fetch only binds its
 * values and maps rows.
 *
 * <p>Also holds what per-level and join share: reading a node's columns from a flat row, comparable key values, and
 * the {@link Assembly} that builds {@link GraphRow}s.
 */
final class GraphPlan {
    static final String TABLE_ALIAS = "junction_t";
    /**
     * Plans kept at most. Shapes come from code, so there are few; the bound only protects against code that builds
     * tables per call (aliases, derived tables), whose shapes would never repeat.
     */
    private static final int MAX_PLANS = 512;
    /** Compiled forms kept per plan (strategy variants times rendering configurations). */
    private static final int MAX_COMPILED = 16;
    private static final ConcurrentHashMap<Shape, GraphPlan> PLANS = new ConcurrentHashMap<>();

    final Node root;
    /** Every node, depth first, parents before children; {@code nodes[n.id] == n}. */
    final Node[] nodes;
    final int toManyCount;
    final boolean toManyOnOnePath;
    /** Why join cannot read this shape, or null. */
    final @Nullable String joinProblem;
    /** Why multiset cannot read this shape, or null. */
    final @Nullable String multisetProblem;
    private volatile Compiled[] compiled = new Compiled[0];

    private GraphPlan(GraphQuery<?> query) {
        List<Node> all = new ArrayList<>();
        this.root = unfold(query, null, null, all);
        this.nodes = all.toArray(Node[]::new);
        int toMany = 0;
        for (Node n : nodes) {
            toMany += n.parent != null && !n.toOne ? 1 : 0;
        }
        this.toManyCount = toMany;
        this.toManyOnOnePath = onOnePath(nodes);
        this.joinProblem = JoinStrategy.problem(this);
        this.multisetProblem = MultisetStrategy.problem(this);
    }

    /** The plan of {@code query}'s shape (cached) and the query's nodes in the plan's order. */
    static Bound bind(GraphQuery<?> query) {
        List<GraphQuery<?>> queries = new ArrayList<>();
        Shape shape = Shape.of(query, queries);
        GraphPlan plan = PLANS.get(shape);
        if (plan == null) {
            plan = new GraphPlan(query);
            if (PLANS.size() >= MAX_PLANS) {
                PLANS.clear();
            }
            GraphPlan raced = PLANS.putIfAbsent(shape, plan);
            plan = raced == null ? plan : raced;
        }
        return new Bound(plan, queries.toArray(GraphQuery<?>[]::new));
    }

    private static Node unfold(GraphQuery<?> query, @Nullable Relation<?, ?> via, @Nullable Node parent,
            List<Node> all) {
        Node node = new Node(all.size(), query, via, parent);
        all.add(node);
        List<Node> children = new ArrayList<>(query.links().size());
        for (GraphQuery.Link<?, ?> link : query.links()) {
            children.add(unfold(link.query(), link.relation(), node, all));
        }
        node.children = List.copyOf(children);
        node.complete();
        return node;
    }

    private static boolean onOnePath(Node[] nodes) {
        for (Node node : nodes) {
            int branches = 0;
            for (Node child : node.children) {
                branches += hasToMany(child) ? 1 : 0;
            }
            if (branches > 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasToMany(Node node) {
        if (!node.toOne) {
            return true;
        }
        for (Node child : node.children) {
            if (hasToMany(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a strategy derived from this plan for rendering with {@code ctx}'s dialect and settings (its statements'
     * SQL): made once by {@code compile} and kept, so later fetches with the same rendering configuration skip it.
     * Not kept when the configuration has visit listeners, which may render every statement differently.
     */
    @SuppressWarnings("unchecked")
    <T> T compiled(DSLContext ctx, String variant, Function<DSLContext, T> compile) {
        Configuration c = ctx.configuration();
        if (c.visitListenerProviders().length > 0) {
            return compile.apply(ctx);
        }
        SQLDialect dialect = c.dialect();
        Settings settings = c.settings();
        Compiled[] known = compiled;
        for (Compiled k : known) {
            if (k.variant.equals(variant) && k.dialect == dialect && k.settings == settings) {
                return (T) k.value;
            }
        }
        for (Compiled k : known) {
            if (k.variant.equals(variant) && k.dialect == dialect && k.settingsCopy.equals(settings)) {
                return (T) k.value;
            }
        }
        T value = compile.apply(ctx);
        synchronized (this) {
            Compiled[] now = compiled;
            for (Compiled k : now) {
                if (k.variant.equals(variant) && k.dialect == dialect && k.settings == settings) {
                    return (T) k.value; // another thread made it first
                }
            }
            if (now.length < MAX_COMPILED) {
                Compiled[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = new Compiled(variant, dialect, settings, (Settings) settings.clone(), value);
                compiled = next;
            }
        }
        return value;
    }

    /**
     * One compiled form. Settings are matched by identity first (a configuration keeps its instance), then by value
     * against a copy taken when the form was made.
     */
    private record Compiled(String variant, SQLDialect dialect, Settings settings, Settings settingsCopy,
            Object value) {
    }

    /**
     * A query's shape: tables, relations, and which of filter, explicit order, limit and offset each node sets (not
     * their values). Tables and relations compare by identity: generated code holds them in constants.
     */
    private static final class Shape {
        private final Table<?> table;
        private final @Nullable Relation<?, ?> via;
        private final int flags;
        private final Shape[] children;
        private final int hash;

        private Shape(Table<?> table, @Nullable Relation<?, ?> via, int flags, Shape[] children) {
            this.table = table;
            this.via = via;
            this.flags = flags;
            this.children = children;
            int h = System.identityHashCode(table) * 31 + System.identityHashCode(via);
            this.hash = (h * 31 + flags) * 31 + Arrays.hashCode(children);
        }

        static Shape of(GraphQuery<?> query, List<GraphQuery<?>> queries) {
            return of(query, null, queries);
        }

        private static Shape of(GraphQuery<?> query, @Nullable Relation<?, ?> via, List<GraphQuery<?>> queries) {
            queries.add(query);
            List<? extends GraphQuery.Link<?, ?>> links = query.links();
            Shape[] children = new Shape[links.size()];
            for (int i = 0; i < children.length; i++) {
                children[i] = of(links.get(i).query(), links.get(i).relation(), queries);
            }
            return new Shape(query.table(), via, Node.flags(query), children);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && s.hash == hash && s.table == table && s.via == via && s.flags == flags
                    && Arrays.equals(s.children, children);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A plan and one fetch's queries, indexed like {@link #nodes}: where the fetch's values come from. */
    record Bound(GraphPlan plan, GraphQuery<?>[] queries) {
        GraphQuery<?> query(Node node) {
            return queries[node.id];
        }

        GraphQuery<?> root() {
            return queries[0];
        }
    }

    /** One occurrence of a table in the graph. Immutable after the plan is built. */
    static final class Node {
        static final int WHERE = 1;
        static final int ORDER = 2;
        static final int LIMIT = 4;
        static final int OFFSET = 8;

        final int id;
        final @Nullable Relation<?, ?> via;
        final @Nullable Node parent;
        final boolean toOne;
        List<Node> children = List.of();
        final Table<?> table;
        final Field<?>[] fields;
        final int width;
        /** Which of where, orderBy, limit and offset the node's query sets ({@link #WHERE} ...). */
        final int flags;
        /** The index of each of {@code via}'s target columns in {@link #fields}. */
        final int[] targetIndex;
        /** The index of each of {@code via}'s source columns in the parent's fields. */
        final int[] sourceIndex;
        /** The index of each primary key column in {@link #fields}; empty without a primary key. */
        final int[] keyIndex;
        /** This node's position among its parent's children. */
        final int position;
        private GraphRow.@Nullable Layout layout;
        private boolean[] toMany = new boolean[0];
        /** True when a child is to-many: the node's rows hold lists that are frozen when the graph is complete. */
        boolean hasToMany;

        Node(int id, GraphQuery<?> query, @Nullable Relation<?, ?> via, @Nullable Node parent) {
            this.id = id;
            this.via = via;
            this.parent = parent;
            this.toOne = via != null && via.isToOne();
            this.table = query.table();
            this.fields = table.fields();
            this.width = fields.length;
            this.flags = flags(query);
            this.position = parent == null ? -1 : parent.nextPosition++;
            List<? extends Field<?>> target = via == null ? List.of() : via.targetFields();
            this.targetIndex = new int[target.size()];
            for (int i = 0; i < targetIndex.length; i++) {
                targetIndex[i] = indexOf(table, target.get(i));
            }
            List<? extends Field<?>> source = via == null || parent == null ? List.of() : via.sourceFields();
            this.sourceIndex = new int[source.size()];
            for (int i = 0; i < sourceIndex.length; i++) {
                sourceIndex[i] = indexOf(parent.table, source.get(i));
            }
            UniqueKey<?> pk = table.getPrimaryKey();
            List<? extends TableField<?, ?>> pkFields = pk == null ? List.of() : pk.getFields();
            this.keyIndex = new int[pkFields.size()];
            for (int i = 0; i < keyIndex.length; i++) {
                keyIndex[i] = indexOf(table, pkFields.get(i));
            }
        }

        static int flags(GraphQuery<?> q) {
            return (q.where() != null ? WHERE : 0) | (q.orderBy().isEmpty() ? 0 : ORDER)
                    | (q.limit().isPresent() ? LIMIT : 0) | (q.offset().isPresent() ? OFFSET : 0);
        }

        /** While unfolding: children are created in link order, so this counts the positions handed out. */
        private int nextPosition;

        private void complete() {
            List<Relation<?, ?>> relations = new ArrayList<>(children.size());
            toMany = new boolean[children.size()];
            for (int i = 0; i < toMany.length; i++) {
                Node child = children.get(i);
                relations.add(child.via());
                toMany[i] = !child.toOne;
                hasToMany |= toMany[i];
            }
            layout = new GraphRow.Layout(relations);
        }

        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** True when the query sets a filter or an explicit order (which refer to the table itself, not an alias). */
        boolean refersToTable() {
            return has(WHERE) || has(ORDER);
        }

        GraphRow.Layout layout() {
            GraphRow.Layout l = layout;
            if (l == null) {
                throw new IllegalStateException("plan node " + this + " is not complete");
            }
            return l;
        }

        /** Per child: true for a to-many relation. */
        boolean[] toManyChildren() {
            return toMany;
        }

        Relation<?, ?> via() {
            if (via == null) {
                throw new IllegalStateException("the root has no relation");
            }
            return via;
        }

        /** This node's columns as read through {@code reference}, in table order. */
        List<Field<?>> columns(Table<?> reference) {
            List<Field<?>> out = new ArrayList<>(width);
            for (Field<?> f : fields) {
                out.add(Relation.column(reference, f));
            }
            return out;
        }

        /**
         * The default order (the primary key) as fields of {@code reference}, for a node without an explicit order.
         * For the rows of a to-many relation, the key's columns that reference the parent are left out: they are the
         * same for all children of one parent, and sorting on them only costs (a flat join sorts every row).
         */
        List<OrderField<?>> keyOrder(Table<?> reference) {
            UniqueKey<?> pk = table.getPrimaryKey();
            if (pk == null) {
                return List.of();
            }
            List<? extends Field<?>> parentColumns = via == null || via.isToOne() ? List.of() : via.targetFields();
            List<OrderField<?>> order = new ArrayList<>();
            for (TableField<?, ?> f : pk.getFields()) {
                if (!parentColumns.contains(f)) {
                    order.add(Relation.column(reference, f));
                }
            }
            return order;
        }

        /** True when the node's row in {@code row} is present: a left-joined node is absent when its key is null. */
        boolean present(Record row, int offset) {
            for (int i : targetIndex) {
                if (row.get(offset + i) == null) {
                    return false;
                }
            }
            return true;
        }

        /** The key a to-one node's row is shared by: its referenced (unique) columns in {@code row}. */
        Object key(Record row, int offset) {
            if (targetIndex.length == 1) {
                return comparable(row.get(offset + targetIndex[0]));
            }
            List<@Nullable Object> parts = new ArrayList<>(targetIndex.length);
            for (int i : targetIndex) {
                parts.add(comparable(row.get(offset + i)));
            }
            return parts;
        }

        /**
         * A record of this node's table from its columns in {@code row} from {@code offset}, unchanged as if read by
         * selectFrom. Values are copied one by one: jOOQ's {@code intoArray}/{@code fromArray} go through its record
         * mappers, which cost more than the rest of the mapping together.
         */
        @SuppressWarnings("unchecked")
        Record record(DSLContext ctx, Record row, int offset) {
            Record record = ctx.newRecord(table);
            for (int i = 0; i < width; i++) {
                record.set((Field<Object>) fields[i], row.get(offset + i));
            }
            record.touched(false);
            return record;
        }

        @Override
        public String toString() {
            return via == null ? table.getName() : via.name();
        }
    }

    static int indexOf(Table<?> table, Field<?> field) {
        int i = table.indexOf(field);
        if (i < 0) {
            i = table.indexOf(field.getName());
        }
        if (i < 0) {
            throw new IllegalStateException("table " + table.getName() + " has no column " + field.getName());
        }
        return i;
    }

    /**
     * A map key for the columns at {@code indexes} of {@code record}: null when any is null (SQL equality never
     * matches null). Numbers are normalised so that an {@code integer} key matches a {@code bigint} foreign key and
     * {@code 1.0} matches {@code 1.00}, as they do in SQL.
     */
    static @Nullable Object key(Record record, int[] indexes) {
        if (indexes.length == 1) {
            return comparable(record.get(indexes[0]));
        }
        List<Object> parts = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            Object v = comparable(record.get(i));
            if (v == null) {
                return null;
            }
            parts.add(v);
        }
        return List.copyOf(parts);
    }

    static @Nullable Object comparable(@Nullable Object value) {
        if (value instanceof Long || value instanceof String || value == null) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (value instanceof BigDecimal d) {
            BigDecimal s = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            if (s.scale() <= 0 && s.precision() - s.scale() < 19) {
                return s.longValueExact();
            }
            return s;
        }
        return value;
    }

    /**
     * The rows of one fetch while they are assembled: creates each {@link GraphRow} with its relation slots, and at
     * the end turns the to-many slots into unmodifiable lists. A row shared by several parents (a to-one target) is
     * one GraphRow referenced by all of them.
     */
    static final class Assembly {
        private final List<GraphRow<?>> open = new ArrayList<>();

        GraphRow<?> row(Node node, Record record) {
            GraphRow<?> row = GraphRow.assembling(record, node.layout(), node.toManyChildren());
            if (node.hasToMany) {
                open.add(row);
            }
            return row;
        }

        static void one(GraphRow<?> parent, Node child, GraphRow<?> target) {
            parent.values[child.position] = target;
        }

        @SuppressWarnings("unchecked")
        static void add(GraphRow<?> parent, Node child, GraphRow<?> row) {
            ((List<GraphRow<?>>) parent.values[child.position]).add(row);
        }

        @SuppressWarnings("unchecked")
        <R extends Record> List<GraphRow<R>> finish(List<GraphRow<?>> roots) {
            for (GraphRow<?> row : open) {
                row.freeze();
            }
            return (List<GraphRow<R>>) (List<?>) roots;
        }
    }
}
