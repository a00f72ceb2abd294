package dev.junction.graph.internal;

import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.SelectConditionStep;
import org.jooq.SelectJoinStep;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The parent keys of a level selected on the server: {@code fk = ANY(ARRAY(SELECT key FROM <parent level>))}, or
 * {@code (a, b) IN (SELECT ...)} for composite keys, where the subquery repeats the parent level's selection
 * (itself filtered the same way, down to the roots). In one snapshot it selects exactly the parents the parent
 * level's statement returns. ANY(ARRAY(...)) rather than IN: PostgreSQL evaluates the array once and probes the
 * foreign key's index with it, as for a bound array, where an IN subquery tends to become a hash join.
 */
final class ParentKeys {
    private final LevelStatement[] levels;
    private final int[] levelOf;
    private final Table<?>[] refs;

    ParentKeys(LevelStatement[] levels, int[] levelOf, Table<?>[] refs) {
        this.levels = levels;
        this.levelOf = levelOf;
        this.refs = refs;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Condition filter(PlanNode head, SqlTemplate.Builder b) {
        PlanNode parent = head.parent;
        if (parent == null) {
            throw new IllegalStateException("the roots have no parent keys");
        }
        Select<? extends Record> keys = select(parent, head.sourceIndex, b);
        List<? extends Field<?>> target = head.via().targetFields();
        if (target.size() == 1) {
            Field<Object> column = (Field<Object>) Columns.column(head.table, target.get(0));
            return column.eq(DSL.any(DSL.array((Select<Record1<Object>>) (Select) keys)));
        }
        List<Field<?>> columns = target.stream().<Field<?>>map(f -> Columns.column(head.table, f)).toList();
        return DSL.row(columns).in((Select) keys);
    }

    /**
     * The values of {@code node}'s columns at {@code indexes} for every row of {@code node} its level selects. A
     * to-one row's key columns equal the columns its parent references it with, so those are selected instead,
     * without joining the to-one's table (a key that matches no row only selects children nobody asks for).
     */
    private Select<? extends Record> select(PlanNode node, int[] indexes, SqlTemplate.Builder b) {
        while (node.toOne && node.parent != null && contains(node.targetIndex, indexes)) {
            int[] mapped = new int[indexes.length];
            for (int i = 0; i < indexes.length; i++) {
                mapped[i] = node.sourceIndex[position(node.targetIndex, indexes[i])];
            }
            indexes = mapped;
            node = node.parent;
        }
        LevelStatement level = levels[levelOf[node.id]];
        List<Field<?>> columns = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            columns.add(Columns.column(refs[node.id], node.tableFields[i]));
        }
        SelectJoinStep<Record> select = DSL.select(columns).from(level.from);
        List<PlanNode> path = new ArrayList<>();
        for (PlanNode n = node; n != level.head; n = n.parent) {
            path.add(0, n);
        }
        for (PlanNode n : path) {
            select = select.leftJoin(refs[n.id]).on(n.via().joinCondition(refs[n.parent.id], refs[n.id]));
        }
        SelectConditionStep<Record> where = select.where(level.outer);
        PlanNode head = level.head;
        boolean limited = head.parent == null && (head.has(PlanNode.LIMIT) || head.has(PlanNode.OFFSET));
        return limited ? b.limited(where.orderBy(level.order), head) : where;
    }

    private static boolean contains(int[] all, int[] some) {
        for (int i : some) {
            if (position(all, i) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int position(int[] all, int value) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
