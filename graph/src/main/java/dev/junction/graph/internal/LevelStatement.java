package dev.junction.graph.internal;

import dev.junction.graph.internal.SqlTemplate.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.SelectJoinStep;
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * One level of a {@link PerLevelPlan}: its statement, what it reads and where each member's columns are in a row.
 * Immutable.
 */
final class LevelStatement {
    private static final String ROW_NUMBER = "junction_rn";
    private static final String LEVEL_ALIAS = "junction_l";

    final int index;
    final PlanNode head;
    final PlanNode[] members;
    /** For each member, the index of its parent among the members (-1 for the head). */
    final int[] parentMember;
    /** For each member, the index of its first column in a row. */
    final int[] offsets;
    final List<Field<?>> fields;
    /** True when the statement reads one table as itself: jOOQ creates the table's records, no copy needed. */
    final boolean typed;
    /** The types the parent key arrays are bound with, per key column; empty for the root level. */
    final DataType<Object[]>[] keyTypes;
    final SqlTemplate template;
    /** What the statement reads from (the head's table or its window) and its condition and order. */
    final Table<?> from;
    final Condition outer;
    final List<OrderField<?>> order;

    /**
     * Builds the level's statement. Without {@code parentKeys} the parent keys are a bound array per key column;
     * with it they are selected by a subquery that repeats the parent level's selection, so the statement needs
     * nothing from the one before, and the order of a limited level ends with its primary key.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    LevelStatement(int index, PlanNode[] members, Table<?>[] refs, DSLContext ctx, @Nullable ParentKeys parentKeys) {
        this.index = index;
        this.head = members[0];
        this.members = members;
        this.parentMember = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            parentMember[i] = i == 0 ? -1 : Arrays.asList(members).indexOf(members[i].parent);
        }
        List<? extends Field<?>> keyColumns = head.parent == null ? List.of() : head.via().targetFields();
        this.keyTypes = new DataType[keyColumns.size()];
        for (int c = 0; c < keyTypes.length; c++) {
            keyTypes[c] = KeyArrays.arrayType(keyColumns.get(c));
        }
        SqlTemplate.Builder b = new SqlTemplate.Builder();
        Table<?> from = refs[head.id] = head.table;
        boolean window = head.parent != null && (head.has(PlanNode.LIMIT) || head.has(PlanNode.OFFSET));
        Condition keys = head.parent == null ? DSL.noCondition()
                : parentKeys == null ? keyFilter(b, keyColumns, keyTypes) : parentKeys.filter(head, b);
        Condition where = DSL.and(keys, head.has(PlanNode.WHERE) ? b.where(head.id) : DSL.noCondition());
        // Together, the same rows in every statement that selects them: ties broken by the key (the key columns
        // the explicit order already names are left out when the fetch binds it).
        List<OrderField<?>> headOrder = !head.has(PlanNode.ORDER) ? head.keyOrder(head.table)
                : List.of(parentKeys != null ? b.orderThenKey(head.id) : b.order(head.id));
        Condition outer;
        List<OrderField<?>> order;
        if (window) {
            var over = DSL.partitionBy(keyColumns.stream().map(f -> Columns.column(head.table, f)).toList());
            Field<Integer> rn = (headOrder.isEmpty() ? DSL.rowNumber().over(over)
                    : DSL.rowNumber().over(over.orderBy(headOrder))).as(ROW_NUMBER);
            List<SelectFieldOrAsterisk> inner = new ArrayList<>(head.columns(head.table));
            inner.add(rn);
            Table<Record> derived = DSL.select(inner).from(head.table).where(where)
                    .asTable(LEVEL_ALIAS + index);
            from = refs[head.id] = derived;
            Field<Integer> number = (Field<Integer>) derived.field(ROW_NUMBER);
            outer = number.gt(b.number(Kind.WINDOW_FROM, head.id));
            if (head.has(PlanNode.LIMIT)) {
                outer = outer.and(number.le(b.number(Kind.WINDOW_TO, head.id)));
            }
            order = List.of(number);
        } else {
            outer = where;
            order = headOrder;
        }
        List<Field<?>> columns = new ArrayList<>();
        this.offsets = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            offsets[i] = columns.size();
            columns.addAll(members[i].columns(refs[members[i].id]));
        }
        this.fields = List.copyOf(columns);
        this.typed = parentKeys == null && members.length == 1 && from == head.table && head.readsAll;
        this.from = from;
        this.outer = outer;
        this.order = order;
        SelectJoinStep<Record> select = DSL.select((List<SelectField<?>>) (List<?>) fields).from(from);
        for (int i = 1; i < members.length; i++) {
            PlanNode member = members[i];
            select = select.leftJoin(refs[member.id])
                    .on(member.via().joinCondition(refs[member.parent.id], refs[member.id]));
        }
        this.template = b.render(ctx, limited(select.where(outer).orderBy(order), head, b));
    }

    /** The roots' limit and offset; a nested level's are applied by its window. */
    static Select<Record> limited(SelectLimitStep<Record> select, PlanNode head, SqlTemplate.Builder b) {
        return head.parent != null ? select : b.limited(select, head);
    }

    /**
     * {@code fk = ANY(?)} over the foreign key's columns, or for composite keys
     * {@code (a, b) IN (SELECT * FROM unnest(?, ?))}: one bind per column whatever the number of keys, so the
     * statement's text (and its prepared plan) stays the same.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition keyFilter(SqlTemplate.Builder b, List<? extends Field<?>> target,
            DataType<Object[]>[] types) {
        List<Field<?>> arrays = new ArrayList<>(target.size());
        for (int c = 0; c < target.size(); c++) {
            arrays.add(b.keys(c, types[c]));
        }
        if (target.size() == 1) {
            Field<Object> column = (Field<Object>) target.get(0);
            return column.eq(DSL.any((Field<Object[]>) arrays.get(0)));
        }
        StringBuilder template = new StringBuilder("unnest(");
        for (int c = 0; c < arrays.size(); c++) {
            template.append(c == 0 ? "{" : ", {").append(c).append('}');
        }
        template.append(')');
        Table<Record> unnest = DSL.table(template.toString(), arrays.toArray(QueryPart[]::new));
        return DSL.row(target.toArray(SelectField[]::new)).in(DSL.select(DSL.asterisk()).from(unnest));
    }
}
