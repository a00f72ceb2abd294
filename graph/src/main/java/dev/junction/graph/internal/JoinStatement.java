package dev.junction.graph.internal;

import dev.junction.graph.Relation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.SelectJoinStep;
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The flat statement of {@link JoinStrategy} for one plan, rendered once per rendering configuration, and where
 * each node's columns are in its rows. Immutable.
 */
final class JoinStatement {
    private static final String ROOT_ALIAS = "junction_root";
    private static final String ROOT_NUMBER = "junction_ord";
    private static final String LATERAL_ALIAS = "junction_l";
    private static final String LATERAL_NUMBER = "junction_rn";

    final SqlTemplate template;
    final List<Field<?>> fields;
    /** For each node (by id), the index of its first column in a row. */
    final int[] offsets;
    /** The index of the root number column. */
    final int numberIndex;

    private JoinStatement(SqlTemplate template, List<Field<?>> fields, int[] offsets, int numberIndex) {
        this.template = template;
        this.fields = fields;
        this.offsets = offsets;
        this.numberIndex = numberIndex;
    }

    /** Chooses every node's table reference, joins them and renders the statement. */
    static JoinStatement compile(GraphPlan plan, DSLContext ctx) {
        SqlTemplate.Builder b = new SqlTemplate.Builder();
        Table<?>[] refs = new Table<?>[plan.nodes.length];
        List<Join> joins = new ArrayList<>();
        PlanNode root = plan.root;
        Table<?> t = root.table;
        List<OrderField<?>> rootOrder = root.has(PlanNode.ORDER) ? List.of(b.order(root.id)) : root.keyOrder(t);
        Field<Integer> number = (rootOrder.isEmpty() ? DSL.rowNumber().over()
                : DSL.rowNumber().over(DSL.orderBy(rootOrder))).as(ROOT_NUMBER);
        List<SelectFieldOrAsterisk> inner = new ArrayList<>(root.columns(t));
        inner.add(number);
        SelectLimitStep<Record> rootSelect = DSL.select(inner).from(t)
                .where(root.has(PlanNode.WHERE) ? b.where(root.id) : DSL.noCondition()).orderBy(rootOrder);
        refs[root.id] = b.limited(rootSelect, root).asTable(ROOT_ALIAS);
        Set<Name> unaliased = new HashSet<>();
        int aliases = 0;
        int laterals = 0;
        for (PlanNode node : plan.nodes) {
            if (node.parent == null) {
                continue;
            }
            Table<?> parent = refs[node.parent.id];
            Relation<?, ?> via = node.via();
            Name name = node.table.getQualifiedName();
            if (node.toOne) {
                refs[node.id] = node.table.as(GraphPlan.TABLE_ALIAS + (++aliases));
                joins.add(new Join(node, via.joinCondition(parent, refs[node.id]), List.of()));
            } else if (node.has(PlanNode.LIMIT) || node.has(PlanNode.OFFSET)) {
                // A per-parent limit needs a subquery per parent: LATERAL, numbered so the outer query keeps
                // order.
                boolean shadowed = parent.getQualifiedName().equals(name);
                if (shadowed && node.refersToTable()) {
                    throw new IllegalStateException(aliasProblem(node));
                }
                Table<?> table = shadowed ? node.table.as(GraphPlan.TABLE_ALIAS + (++aliases)) : node.table;
                List<OrderField<?>> order = node.has(PlanNode.ORDER) ? List.of(b.order(node.id))
                        : node.keyOrder(table);
                Field<Integer> rn = (order.isEmpty() ? DSL.rowNumber().over()
                        : DSL.rowNumber().over(DSL.orderBy(order))).as(LATERAL_NUMBER);
                List<SelectFieldOrAsterisk> fields = new ArrayList<>(node.columns(table));
                fields.add(rn);
                Condition where = via.joinCondition(parent, table);
                if (node.has(PlanNode.WHERE)) {
                    where = where.and(b.where(node.id));
                }
                Table<Record> derived = b.limited(DSL.select(fields).from(table).where(where).orderBy(order), node)
                        .asTable(LATERAL_ALIAS + (++laterals));
                refs[node.id] = derived;
                joins.add(new Join(node, null, List.of(derived.field(LATERAL_NUMBER))));
            } else {
                if (unaliased.add(name)) {
                    refs[node.id] = node.table;
                } else if (node.refersToTable()) {
                    throw new IllegalStateException(aliasProblem(node));
                } else {
                    refs[node.id] = node.table.as(GraphPlan.TABLE_ALIAS + (++aliases));
                }
                Condition on = via.joinCondition(parent, refs[node.id]);
                if (node.has(PlanNode.WHERE)) {
                    on = on.and(b.where(node.id));
                }
                joins.add(new Join(node, on, node.has(PlanNode.ORDER) ? List.of(b.order(node.id))
                        : node.keyOrder(refs[node.id])));
            }
        }
        List<Field<?>> fields = new ArrayList<>();
        int[] offsets = new int[plan.nodes.length];
        for (PlanNode node : plan.nodes) {
            offsets[node.id] = fields.size();
            fields.addAll(node.columns(refs[node.id]));
        }
        int numberIndex = fields.size();
        Field<?> rootNumber = refs[root.id].field(ROOT_NUMBER);
        fields.add(rootNumber);
        @SuppressWarnings({"unchecked", "rawtypes"})
        SelectJoinStep<Record> select = DSL.select((List<SelectField<?>>) (List) fields).from(refs[root.id]);
        List<OrderField<?>> order = new ArrayList<>();
        order.add(rootNumber);
        for (Join join : joins) {
            select = join.on() == null
                    ? select.leftJoin(DSL.lateral(refs[join.node().id])).on(DSL.trueCondition())
                    : select.leftJoin(refs[join.node().id]).on(join.on());
            if (!join.node().toOne) {
                order.addAll(join.order());
            }
        }
        SqlTemplate template = b.render(ctx, select.orderBy(order));
        return new JoinStatement(template, List.copyOf(fields), offsets, numberIndex);
    }

    /** Why relation {@code node} cannot be read through the alias a second join of its table needs. */
    static String aliasProblem(PlanNode node) {
        return "table " + node.table.getName() + " is joined more than once, so relation '" + node
                + "' reads it through an alias and its nested query cannot use where(...) or orderBy(...) written"
                + " against " + node.table.getName() + " itself";
    }

    /** One joined node: its ON condition (null for LATERAL ... ON true) and its contribution to the order. */
    private record Join(PlanNode node, @Nullable Condition on, List<OrderField<?>> order) {
    }
}
