package dev.junction.codegen.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jspecify.annotations.Nullable;

/**
 * A graph query unfolded into a tree of {@link Node}s (one per table occurrence) and grouped into {@link Level}s for
 * the flat strategies: a level is a root or to-many node plus every node reachable from it through to-one relations
 * only. A level's rows are read by one statement (chunked by per-level), its to-one nodes joined into it; a to-many
 * relation starts the next level. Also holds what per-level and join share: reading a node's columns from a flat
 * row, comparable key values, and the mutable {@link Builder}s that become {@link GraphRow}s.
 */
final class GraphPlan {
    static final String TABLE_ALIAS = "junction_t";

    final Node root;
    final List<Level> levels = new ArrayList<>();
    private int aliases;

    private boolean foldToOnes;

    private GraphPlan(GraphQuery<?> query) {
        this.root = new Node(query, null, null);
        unfold(root);
        collect(root);
    }

    /**
     * Regroups the levels: with {@code foldToOnes}, every to-one relation is joined into the statement of its
     * parent's level, also one with relations of its own (the film of a film_actor row, whose categories are read
     * next), so a graph of few roots needs one statement less; its rows then repeat per parent. Without it, the
     * grouping of {@link #addMembers}.
     */
    void regroup(boolean foldToOnes) {
        if (this.foldToOnes == foldToOnes) {
            return;
        }
        this.foldToOnes = foldToOnes;
        levels.clear();
        nodes().forEach(n -> n.level = null);
        collect(root);
    }

    static GraphPlan of(GraphQuery<?> query) {
        return new GraphPlan(query);
    }

    private void unfold(Node node) {
        for (GraphQuery.Link<?, ?> link : node.query.links()) {
            Node child = new Node(link.query(), link.relation(), node);
            node.children.add(child);
            unfold(child);
        }
    }

    private void collect(Node head) {
        Level level = new Level(head, levels.size());
        levels.add(level);
        addMembers(level, head, head.parent == null || foldToOnes);
        for (Node member : level.members) {
            for (Node child : member.children) {
                if (child.level == null) {
                    collect(child);
                }
            }
        }
    }

    /**
     * Adds {@code node} and the to-one relations it joins into its statement to {@code level}: on the root level all
     * of them (recursively); below the root only leaves (to-one rows without relations of their own, such as a
     * category), whose repeated columns are cheap. Any other to-one relation below the root gets a level of its own:
     * its rows are read by their distinct keys, so a row that many children share (the film of many film_actor rows)
     * is read, mapped and followed further once, and the statement that reads it is a single-table select whose
     * records jOOQ creates directly.
     */
    private static void addMembers(Level level, Node node, boolean root) {
        level.members.add(node);
        node.level = level;
        for (Node child : node.children) {
            if (child.toOne() && (root || child.children.isEmpty())) {
                addMembers(level, child, root);
            }
        }
    }

    /** A fresh alias for a table occurrence that must not use the table's own name. */
    <R extends Record> Table<R> alias(Table<R> table) {
        return table.as(TABLE_ALIAS + (++aliases));
    }

    /** Every node, depth first, parents before children. */
    List<Node> nodes() {
        List<Node> all = new ArrayList<>();
        addAll(root, all);
        return all;
    }

    private static void addAll(Node node, List<Node> all) {
        all.add(node);
        node.children.forEach(c -> addAll(c, all));
    }

    /** The number of to-many relations in the graph. */
    int toManyCount() {
        int n = 0;
        for (Node node : nodes()) {
            n += node.parent != null && !node.toOne() ? 1 : 0;
        }
        return n;
    }

    /** True when every to-many relation lies on one path from the root, so a flat join multiplies no branches. */
    boolean toManyOnOnePath() {
        for (Node node : nodes()) {
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
        if (!node.toOne()) {
            return true;
        }
        for (Node child : node.children) {
            if (hasToMany(child)) {
                return true;
            }
        }
        return false;
    }

    /** One occurrence of a table in the graph. */
    static final class Node {
        final GraphQuery<?> query;
        final @Nullable Relation<?, ?> via;
        final @Nullable Node parent;
        final List<Node> children = new ArrayList<>(2);
        final Table<?> table;
        final Field<?>[] fields;
        final int width;
        /** The index of each of {@code via}'s target columns in {@link #fields}. */
        final int[] targetIndex;
        /** The index of each of {@code via}'s source columns in the parent's fields. */
        final int[] sourceIndex;
        /** This node's position among its parent's children. */
        final int position;
        GraphRow.@Nullable Layout layout;
        boolean @Nullable [] toMany;
        boolean hasToMany;
        @Nullable Level level;
        /** How the table is referenced in the statement that reads it (the table itself, an alias or a derived table). */
        @Nullable Table<?> ref;
        /** The index of the node's first column in a flat row. */
        int offset;

        Node(GraphQuery<?> query, @Nullable Relation<?, ?> via, @Nullable Node parent) {
            this.query = query;
            this.via = via;
            this.parent = parent;
            this.table = query.table();
            this.fields = table.fields();
            this.width = fields.length;
            this.position = parent == null ? -1 : parent.children.size();
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
        }

        /** Per child: true for a to-many relation. */
        boolean[] toManyChildren() {
            boolean[] many = toMany;
            if (many == null) {
                many = new boolean[children.size()];
                for (int i = 0; i < many.length; i++) {
                    many[i] = !children.get(i).toOne();
                    hasToMany |= many[i];
                }
                toMany = many;
            }
            return many;
        }

        GraphRow.Layout layout() {
            GraphRow.Layout l = layout;
            if (l == null) {
                List<Relation<?, ?>> relations = new ArrayList<>(children.size());
                children.forEach(c -> relations.add(c.via()));
                l = new GraphRow.Layout(relations);
                layout = l;
            }
            return l;
        }

        boolean toOne() {
            return via != null && via.isToOne();
        }

        Relation<?, ?> via() {
            if (via == null) {
                throw new IllegalStateException("the root has no relation");
            }
            return via;
        }

        Table<?> ref() {
            if (ref == null) {
                throw new IllegalStateException("no table reference planned for " + table.getName());
            }
            return ref;
        }

        /** This node's columns as read through its reference, in table order. */
        List<Field<?>> columns() {
            Table<?> r = ref();
            List<Field<?>> fields = new ArrayList<>(width);
            for (Field<?> f : table.fields()) {
                fields.add(Relation.column(r, f));
            }
            return fields;
        }

        /**
         * The explicit order, else the primary key, as fields of {@code reference}. For the rows of a to-many
         * relation, the key's columns that reference the parent are left out: they are the same for all children of
         * one parent, and sorting on them only costs (a flat join sorts every row of the result).
         */
        List<OrderField<?>> order(Table<?> reference) {
            if (!query.orderBy().isEmpty()) {
                return query.orderBy();
            }
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
        boolean present(Record row) {
            for (int i : targetIndex) {
                if (row.get(offset + i) == null) {
                    return false;
                }
            }
            return true;
        }

        /** The key a to-one node's row is shared by: its referenced (unique) columns in {@code row}. */
        Object key(Record row) {
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
         * A record of this node's table from its columns in {@code row}, unchanged as if read by selectFrom. Values
         * are copied one by one: jOOQ's {@code intoArray}/{@code fromArray} go through its record mappers, which
         * cost more than the rest of the mapping together.
         */
        @SuppressWarnings("unchecked")
        Record record(DSLContext ctx, Record row) {
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

    /** A root or to-many node and its to-one closure: read together by one statement (or one per key chunk). */
    static final class Level {
        final Node head;
        final int index;
        final List<Node> members = new ArrayList<>(2);

        Level(Node head, int index) {
            this.head = head;
            this.index = index;
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
