package dev.junction.graph;

import dev.junction.graph.GraphPlan.Assembly;
import dev.junction.graph.GraphPlan.Bound;
import dev.junction.graph.GraphPlan.Node;
import dev.junction.graph.SqlTemplate.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.OrderField;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.SelectJoinStep;
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * One flat statement: the roots (filtered, ordered and limited in a derived table that numbers them), every relation
 * left-joined, and a per-parent limit or offset as a {@code LEFT JOIN LATERAL}. Rows are ordered by root, then by
 * each to-many level's order, and folded back into the graph: to-one rows are mapped once per key (shared), to-many
 * rows once per parent and primary key.
 *
 * <p>Only for graphs whose to-many relations lie on one path: two to-many branches under one parent would multiply
 * each other's rows. Every to-many table needs a primary key (to tell its rows apart), and a table that is joined
 * twice is aliased the second time, so that occurrence's nested query cannot filter or order on the table itself.
 */
final class JoinStrategy extends BuiltInStrategy {
    static final JoinStrategy INSTANCE = new JoinStrategy();
    private static final String ROOT_ALIAS = "junction_root";
    private static final String ROOT_NUMBER = "junction_ord";
    private static final String LATERAL_ALIAS = "junction_l";
    private static final String LATERAL_NUMBER = "junction_rn";

    private JoinStrategy() {
    }

    @Override
    public String name() {
        return "join";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return plan.joinProblem;
    }

    /** Why a flat join cannot read {@code plan}'s shape, or null; see {@link #unsupported}. */
    static @Nullable String problem(GraphPlan plan) {
        if (!plan.toManyOnOnePath) {
            return "its " + plan.toManyCount + " to-many relations are not on one path, and a flat join would"
                    + " multiply the rows of sibling branches";
        }
        for (Node node : plan.nodes) {
            if (node.parent != null && !node.toOne && node.keyIndex.length == 0) {
                return "to-many table " + node.table.getName() + " has no primary key to tell its rows apart";
            }
        }
        return aliasProblem(plan);
    }

    /**
     * The check of {@link Compiled#compile} without building anything: a table joined a second time is aliased, and
     * the inner table of a LATERAL subquery is aliased when its parent is the same table under its own name.
     */
    private static @Nullable String aliasProblem(GraphPlan plan) {
        Set<Name> unaliased = new HashSet<>();
        boolean[] ownName = new boolean[plan.nodes.length];
        for (Node node : plan.nodes) {
            if (node.parent == null) {
                continue;
            }
            Name name = node.table.getQualifiedName();
            boolean own = false;
            if (node.toOne) {
                own = false;
            } else if (node.has(Node.LIMIT) || node.has(Node.OFFSET)) {
                boolean shadowed = ownName[node.parent.id] && node.parent.table.getQualifiedName().equals(name);
                if (shadowed && node.refersToTable()) {
                    return aliasProblem(node);
                }
            } else if (unaliased.add(name)) {
                own = true;
            } else if (node.refersToTable()) {
                return aliasProblem(node);
            }
            ownName[node.id] = own;
        }
        return null;
    }

    private static String aliasProblem(Node node) {
        return "table " + node.table.getName() + " is joined more than once, so relation '" + node
                + "' reads it through an alias and its nested query cannot use where(...) or orderBy(...) written"
                + " against " + node.table.getName() + " itself";
    }

    /** The statement of a plan and where each node's columns are in its rows. Immutable. */
    static final class Compiled {
        final SqlTemplate template;
        final List<Field<?>> fields;
        /** For each node (by id), the index of its first column in a row. */
        final int[] offsets;
        /** The index of the root number column. */
        final int numberIndex;

        private Compiled(SqlTemplate template, List<Field<?>> fields, int[] offsets, int numberIndex) {
            this.template = template;
            this.fields = fields;
            this.offsets = offsets;
            this.numberIndex = numberIndex;
        }

        /** Chooses every node's table reference, joins them and renders the statement. */
        static Compiled compile(GraphPlan plan, DSLContext ctx) {
            SqlTemplate.Builder b = new SqlTemplate.Builder();
            Table<?>[] refs = new Table<?>[plan.nodes.length];
            List<Join> joins = new ArrayList<>();
            Node root = plan.root;
            Table<?> t = root.table;
            List<OrderField<?>> rootOrder = root.has(Node.ORDER) ? List.of(b.order(root.id)) : root.keyOrder(t);
            Field<Integer> number = (rootOrder.isEmpty() ? DSL.rowNumber().over()
                    : DSL.rowNumber().over(DSL.orderBy(rootOrder))).as(ROOT_NUMBER);
            List<SelectFieldOrAsterisk> inner = new ArrayList<>(List.of(t.fields()));
            inner.add(number);
            SelectLimitStep<Record> rootSelect = DSL.select(inner).from(t)
                    .where(root.has(Node.WHERE) ? b.where(root.id) : DSL.noCondition()).orderBy(rootOrder);
            refs[root.id] = limited(rootSelect, root, b).asTable(ROOT_ALIAS);
            Set<Name> unaliased = new HashSet<>();
            int aliases = 0;
            int laterals = 0;
            for (Node node : plan.nodes) {
                if (node.parent == null) {
                    continue;
                }
                Table<?> parent = refs[node.parent.id];
                Relation<?, ?> via = node.via();
                Name name = node.table.getQualifiedName();
                if (node.toOne) {
                    refs[node.id] = node.table.as(GraphPlan.TABLE_ALIAS + (++aliases));
                    joins.add(new Join(node, via.joinCondition(parent, refs[node.id]), List.of()));
                } else if (node.has(Node.LIMIT) || node.has(Node.OFFSET)) {
                    // A per-parent limit needs a subquery per parent: LATERAL, numbered so the outer query keeps
                    // order.
                    boolean shadowed = parent.getQualifiedName().equals(name);
                    if (shadowed && node.refersToTable()) {
                        throw new IllegalStateException(aliasProblem(node));
                    }
                    Table<?> table = shadowed ? node.table.as(GraphPlan.TABLE_ALIAS + (++aliases)) : node.table;
                    List<OrderField<?>> order = node.has(Node.ORDER) ? List.of(b.order(node.id))
                            : node.keyOrder(table);
                    Field<Integer> rn = (order.isEmpty() ? DSL.rowNumber().over()
                            : DSL.rowNumber().over(DSL.orderBy(order))).as(LATERAL_NUMBER);
                    List<SelectFieldOrAsterisk> fields = new ArrayList<>(List.of(table.fields()));
                    fields.add(rn);
                    Condition where = via.joinCondition(parent, table);
                    if (node.has(Node.WHERE)) {
                        where = where.and(b.where(node.id));
                    }
                    Table<Record> derived = limited(DSL.select(fields).from(table).where(where).orderBy(order),
                            node, b).asTable(LATERAL_ALIAS + (++laterals));
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
                    if (node.has(Node.WHERE)) {
                        on = on.and(b.where(node.id));
                    }
                    joins.add(new Join(node, on, node.has(Node.ORDER) ? List.of(b.order(node.id))
                            : node.keyOrder(refs[node.id])));
                }
            }
            List<Field<?>> fields = new ArrayList<>();
            int[] offsets = new int[plan.nodes.length];
            for (Node node : plan.nodes) {
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
            return new Compiled(template, List.copyOf(fields), offsets, numberIndex);
        }
    }

    /** The node's limit and offset as template slots. */
    static Select<Record> limited(SelectLimitStep<Record> select, Node node, SqlTemplate.Builder b) {
        boolean limit = node.has(Node.LIMIT);
        boolean offset = node.has(Node.OFFSET);
        if (limit && offset) {
            return select.limit(b.number(Kind.LIMIT, node.id)).offset(b.number(Kind.OFFSET, node.id));
        } else if (limit) {
            return select.limit(b.number(Kind.LIMIT, node.id));
        } else if (offset) {
            return select.offset(b.number(Kind.OFFSET, node.id));
        }
        return select;
    }

    /** One joined node: its ON condition (null for LATERAL ... ON true) and its contribution to the order. */
    private record Join(Node node, @Nullable Condition on, List<OrderField<?>> order) {
    }

    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        GraphPlan plan = bound.plan();
        Compiled compiled = plan.compiled(ctx, "join", c -> Compiled.compile(plan, c));
        Result<Record> result = ctx.fetch(ctx.resultQuery("{0}", compiled.template.bind(bound, null))
                .coerce(compiled.fields));
        Assembly assembly = new Assembly();
        return new Outcome<>(assembly.finish(fold(ctx, plan.nodes, compiled, result, assembly)), 1, 1, result.size());
    }

    private static List<GraphRow<?>> fold(DSLContext ctx, Node[] nodes, Compiled compiled, Result<Record> result,
            Assembly assembly) {
        int numberIndex = compiled.numberIndex;
        int[] offsets = compiled.offsets;
        Map<Object, GraphRow<?>> roots = new LinkedHashMap<>();
        List<Map<Object, GraphRow<?>>> shared = new ArrayList<>(nodes.length);
        for (int i = 0; i < nodes.length; i++) {
            shared.add(new HashMap<>());
        }
        Map<GraphRow<?>, Map<Object, GraphRow<?>>> childrenOf = new IdentityHashMap<>();
        // Rows come ordered by root and to-many level, so a node is mostly the same as in the row before: compare
        // its identifying columns with that row's before looking it up.
        GraphRow<?>[] previous = new GraphRow<?>[nodes.length];
        Record before = null;
        Node root = nodes[0];
        for (Record row : result) {
            GraphRow<?>[] inRow = new GraphRow<?>[nodes.length];
            if (before != null && Objects.equals(before.get(numberIndex), row.get(numberIndex))) {
                inRow[0] = previous[0];
            } else {
                inRow[0] = roots.computeIfAbsent(row.get(numberIndex),
                        k -> assembly.row(root, root.record(ctx, row, offsets[root.id])));
            }
            for (int i = 1; i < nodes.length; i++) {
                Node node = nodes[i];
                int parentId = node.parent.id;
                GraphRow<?> parent = inRow[parentId];
                if (parent == null) {
                    continue;
                }
                int offset = offsets[i];
                int[] identity = node.toOne ? node.targetIndex : node.keyIndex;
                if (before != null && previous[i] != null && parent == previous[parentId]
                        && same(before, row, offset, identity)) {
                    inRow[i] = previous[i];
                    continue;
                }
                if (!node.present(row, offset)) {
                    continue;
                }
                GraphRow<?> b;
                if (node.toOne) {
                    Object key = node.key(row, offset);
                    b = shared.get(i).get(key);
                    if (b == null) {
                        b = assembly.row(node, node.record(ctx, row, offset));
                        shared.get(i).put(key, b);
                    }
                    Assembly.one(parent, node, b);
                } else {
                    Map<Object, GraphRow<?>> children = childrenOf.computeIfAbsent(parent,
                            p -> new LinkedHashMap<>());
                    Object key = pk(row, offset, node.keyIndex);
                    b = children.get(key);
                    if (b == null) {
                        b = assembly.row(node, node.record(ctx, row, offset));
                        children.put(key, b);
                        Assembly.add(parent, node, b);
                    }
                }
                inRow[i] = b;
            }
            previous = inRow;
            before = row;
        }
        return new ArrayList<>(roots.values());
    }

    private static boolean same(Record a, Record b, int offset, int[] columns) {
        for (int c : columns) {
            if (!Objects.equals(a.get(offset + c), b.get(offset + c))) {
                return false;
            }
        }
        return true;
    }

    private static Object pk(Record row, int offset, int[] pk) {
        if (pk.length == 1) {
            return GraphPlan.comparable(row.get(offset + pk[0]));
        }
        List<@Nullable Object> parts = new ArrayList<>(pk.length);
        for (int i : pk) {
            parts.add(GraphPlan.comparable(row.get(offset + i)));
        }
        return parts;
    }

    @Override
    public String toString() {
        return "Strategy.join()";
    }
}
