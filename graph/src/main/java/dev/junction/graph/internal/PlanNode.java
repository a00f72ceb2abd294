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
        this.fields = table.fields();
        this.width = fields.length;
        this.flags = flags(query);
        this.position = parent == null ? -1 : parent.nextPosition++;
        List<? extends Field<?>> target = via == null ? List.of() : via.targetFields();
        this.targetIndex = new int[target.size()];
        for (int i = 0; i < targetIndex.length; i++) {
            targetIndex[i] = RowKeys.indexOf(table, target.get(i));
        }
        List<? extends Field<?>> source = via == null || parent == null ? List.of() : via.sourceFields();
        this.sourceIndex = new int[source.size()];
        for (int i = 0; i < sourceIndex.length; i++) {
            sourceIndex[i] = RowKeys.indexOf(parent.table, source.get(i));
        }
        UniqueKey<?> pk = table.getPrimaryKey();
        List<? extends TableField<?, ?>> pkFields = pk == null ? List.of() : pk.getFields();
        this.keyIndex = new int[pkFields.size()];
        for (int i = 0; i < keyIndex.length; i++) {
            keyIndex[i] = RowKeys.indexOf(table, pkFields.get(i));
        }
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
            return RowKeys.comparable(row.get(offset + targetIndex[0]));
        }
        List<@Nullable Object> parts = new ArrayList<>(targetIndex.length);
        for (int i : targetIndex) {
            parts.add(RowKeys.comparable(row.get(offset + i)));
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
