package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.Relation;
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
 * One occurrence of a table in a {@link GraphPlan}: its relation from the parent, its columns and where its keys
 * are among them, which of filter, order, limit and offset its query sets, and how its rows are read from a flat row.
 * Immutable once the plan is built.
 */
final class PlanNode {
    static final int WHERE = 1;
    static final int ORDER = 2;
    static final int LIMIT = 4;
    static final int OFFSET = 8;

    final int id;
    final @Nullable Relation<?, ?> via;
    final @Nullable PlanNode parent;
    final boolean toOne;
    List<PlanNode> children = List.of();
    final Table<?> table;
    /** Every column of the table, in table order: records are the table's records, indexed like this. */
    final Field<?>[] tableFields;
    /**
     * The columns this node's statements read, in table order: the chosen ones ({@link GraphQuery#select}, all by
     * default) and the keys that stitch the graph (primary key, the relation's target columns, the source columns of
     * the relations to children). A flat row holds them from the node's offset.
     */
    final Field<?>[] fields;
    final int width;
    /** The table index of each of {@link #fields}. */
    final int[] columnIndex;
    /** The table indexes of the columns read only to stitch the graph: cleared in the records once it is complete. */
    final int[] hidden;
    /** True when the node reads every column of its table (no projection). */
    final boolean readsAll;
    /** Which of where, orderBy, limit and offset the node's query sets ({@link #WHERE} ...). */
    final int flags;
    /** The table index of each of {@code via}'s target columns (in records). */
    final int[] targetIndex;
    /** The position of each of {@code via}'s target columns in {@link #fields} (in flat rows). */
    final int[] targetAt;
    /** The table index of each of {@code via}'s source columns in the parent's records. */
    final int[] sourceIndex;
    /** The table index of each primary key column; empty without a primary key. */
    final int[] keyIndex;
    /** The position of each primary key column in {@link #fields} (in flat rows). */
    final int[] keyAt;
    /** This node's position among its parent's children. */
    final int position;
    private @Nullable RowLayout layout;
    private boolean[] toMany = new boolean[0];
    /** True when a child is to-many: the node's rows hold lists that are frozen when the graph is complete. */
    boolean hasToMany;

    PlanNode(int id, GraphQuery<?> query, @Nullable Relation<?, ?> via, @Nullable PlanNode parent) {
        this.id = id;
        this.via = via;
        this.parent = parent;
        this.toOne = via != null && via.isToOne();
        this.table = query.table();
        this.tableFields = table.fields();
        this.flags = flags(query);
        this.position = parent == null ? -1 : parent.nextPosition++;
        List<? extends Field<?>> target = via == null ? List.of() : via.targetFields();
        this.targetIndex = indexes(table, target);
        List<? extends Field<?>> source = via == null || parent == null ? List.of() : via.sourceFields();
        this.sourceIndex = parent == null ? new int[0] : indexes(parent.table, source);
        UniqueKey<?> pk = table.getPrimaryKey();
        this.keyIndex = indexes(table, pk == null ? List.of() : pk.getFields());
        boolean[] read = new boolean[tableFields.length];
        boolean[] chosen = new boolean[tableFields.length];
        this.readsAll = query.selection().isEmpty();
        for (Field<?> f : query.selection()) {
            chosen[RowKeys.indexOf(table, f)] = true;
        }
        for (int i = 0; i < read.length; i++) {
            read[i] = readsAll || chosen[i];
        }
        for (int i : targetIndex) {
            read[i] = true;
        }
        for (int i : keyIndex) {
            read[i] = true;
        }
        for (GraphQuery.Link<?, ?> link : query.links()) {
            for (int i : indexes(table, link.relation().sourceFields())) {
                read[i] = true;
            }
        }
        List<Field<?>> columns = new ArrayList<>(read.length);
        List<Integer> at = new ArrayList<>(read.length);
        List<Integer> cleared = new ArrayList<>();
        int[] positionOf = new int[read.length];
        for (int i = 0; i < read.length; i++) {
            positionOf[i] = -1;
            if (read[i]) {
                positionOf[i] = columns.size();
                columns.add(tableFields[i]);
                at.add(i);
                if (!readsAll && !chosen[i]) {
                    cleared.add(i);
                }
            }
        }
        this.fields = columns.toArray(Field<?>[]::new);
        this.width = fields.length;
        this.columnIndex = at.stream().mapToInt(Integer::intValue).toArray();
        this.hidden = cleared.stream().mapToInt(Integer::intValue).toArray();
        this.targetAt = positions(targetIndex, positionOf);
        this.keyAt = positions(keyIndex, positionOf);
    }

    private static int[] indexes(Table<?> table, List<? extends Field<?>> fields) {
        int[] out = new int[fields.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = RowKeys.indexOf(table, fields.get(i));
        }
        return out;
    }

    private static int[] positions(int[] indexes, int[] positionOf) {
        int[] out = new int[indexes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = positionOf[indexes[i]];
        }
        return out;
    }

    static int flags(GraphQuery<?> q) {
        return (q.where() != null ? WHERE : 0) | (q.orderBy().isEmpty() ? 0 : ORDER)
                | (q.limit().isPresent() ? LIMIT : 0) | (q.offset().isPresent() ? OFFSET : 0);
    }

    /** While unfolding: children are created in link order, so this counts the positions handed out. */
    private int nextPosition;

    /** Called by the plan once the children are set: derives the rows' layout. */
    void complete() {
        List<Relation<?, ?>> relations = new ArrayList<>(children.size());
        toMany = new boolean[children.size()];
        for (int i = 0; i < toMany.length; i++) {
            PlanNode child = children.get(i);
            relations.add(child.via());
            toMany[i] = !child.toOne;
            hasToMany |= toMany[i];
        }
        layout = new RowLayout(relations);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** True when the query sets a filter or an explicit order (which refer to the table itself, not an alias). */
    boolean refersToTable() {
        return has(WHERE) || has(ORDER);
    }

    RowLayout layout() {
        RowLayout l = layout;
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
            out.add(Columns.column(reference, f));
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
                order.add(Columns.column(reference, f));
            }
        }
        return order;
    }

    /** True when the node's row in {@code row} is present: a left-joined node is absent when its key is null. */
    boolean present(Record row, int offset) {
        for (int i : targetAt) {
            if (row.get(offset + i) == null) {
                return false;
            }
        }
        return true;
    }

    /** The key a to-one node's row is shared by: its referenced (unique) columns in {@code row}. */
    Object key(Record row, int offset) {
        if (targetAt.length == 1) {
            return RowKeys.comparable(row.get(offset + targetAt[0]));
        }
        List<@Nullable Object> parts = new ArrayList<>(targetAt.length);
        for (int i : targetAt) {
            parts.add(RowKeys.comparable(row.get(offset + i)));
        }
        return parts;
    }

    /**
     * A record of this node's table from its columns in {@code row} from {@code offset}, unchanged as if read by
     * selectFrom (the columns the node does not read stay null; those it reads only to stitch the graph are cleared
     * by {@link #clearHidden} once the graph is complete). Values are copied one by one: jOOQ's {@code intoArray}/{@code fromArray} go through its record
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

    /** Sets the columns read only to stitch the graph back to null in {@code record}, a record of this node. */
    @SuppressWarnings("unchecked")
    void clearHidden(Record record) {
        for (int i : hidden) {
            record.set((Field<Object>) tableFields[i], null);
        }
        record.touched(false);
    }

    @Override
    public String toString() {
        return via == null ? table.getName() : via.name();
    }
}
