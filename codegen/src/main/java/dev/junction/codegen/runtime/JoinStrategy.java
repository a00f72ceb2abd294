package dev.junction.codegen.runtime;

import dev.junction.codegen.runtime.GraphPlan.Assembly;
import dev.junction.codegen.runtime.GraphPlan.Node;
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
import org.jooq.TableField;
import org.jooq.UniqueKey;
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
        if (!plan.toManyOnOnePath()) {
            return "its " + plan.toManyCount() + " to-many relations are not on one path, and a flat join would"
                    + " multiply the rows of sibling branches";
        }
        for (Node node : plan.nodes()) {
            if (node.parent != null && !node.toOne() && node.table.getPrimaryKey() == null) {
                return "to-many table " + node.table.getName() + " has no primary key to tell its rows apart";
            }
        }
        return aliasProblem(plan);
    }

    /**
     * The check of {@link #layout} without building anything: a table joined a second time is aliased, and the
     * inner table of a LATERAL subquery is aliased when its parent is the same table under its own name.
     */
    private static @Nullable String aliasProblem(GraphPlan plan) {
        Set<Name> unaliased = new HashSet<>();
        Map<Node, Boolean> ownName = new IdentityHashMap<>();
        ownName.put(plan.root, false);
        for (Node node : plan.nodes()) {
            if (node.parent == null) {
                continue;
            }
            GraphQuery<?> q = node.query;
            Name name = node.table.getQualifiedName();
            boolean own = false;
            if (node.toOne()) {
                own = false;
            } else if (q.limit().isPresent() || q.offset().isPresent()) {
                boolean shadowed = ownName.get(node.parent) && node.parent.table.getQualifiedName().equals(name);
                if (shadowed && q.refersToTable()) {
                    return aliasProblem(node);
                }
            } else if (unaliased.add(name)) {
                own = true;
            } else if (q.refersToTable()) {
                return aliasProblem(node);
            }
            ownName.put(node, own);
        }
        return null;
    }

    /**
     * Chooses every node's table reference and collects the joins; returns why the graph cannot be joined, or null.
     */
    private static @Nullable String layout(GraphPlan plan, List<Join> joins) {
        Node root = plan.root;
        GraphQuery<?> rq = root.query;
        Table<?> t = root.table;
        List<OrderField<?>> rootOrder = root.order(t);
        Field<Integer> number = (rootOrder.isEmpty() ? DSL.rowNumber().over()
                : DSL.rowNumber().over(DSL.orderBy(rootOrder))).as(ROOT_NUMBER);
        List<SelectFieldOrAsterisk> inner = new ArrayList<>(List.of(t.fields()));
        inner.add(number);
        SelectLimitStep<Record> select = DSL.select(inner).from(t)
                .where(rq.where() == null ? DSL.noCondition() : rq.where()).orderBy(rootOrder);
        root.ref = limited(select, rq).asTable(ROOT_ALIAS);
        Set<Name> unaliased = new HashSet<>();
        int laterals = 0;
        for (Node node : plan.nodes()) {
            if (node.parent == null) {
                continue;
            }
            Node parent = node.parent;
            Relation<?, ?> via = node.via();
            GraphQuery<?> q = node.query;
            Name name = node.table.getQualifiedName();
            if (node.toOne()) {
                node.ref = plan.alias(node.table);
                joins.add(new Join(node, via.joinCondition(parent.ref(), node.ref()), List.of()));
            } else if (q.limit().isPresent() || q.offset().isPresent()) {
                // A per-parent limit needs a subquery per parent: LATERAL, numbered so the outer query keeps order.
                boolean shadowed = parent.ref().getQualifiedName().equals(name);
                if (shadowed && q.refersToTable()) {
                    return aliasProblem(node);
                }
                Table<?> table = shadowed ? plan.alias(node.table) : node.table;
                List<OrderField<?>> order = node.order(table);
                String alias = LATERAL_ALIAS + (++laterals);
                Field<Integer> rn = (order.isEmpty() ? DSL.rowNumber().over()
                        : DSL.rowNumber().over(DSL.orderBy(order))).as(LATERAL_NUMBER);
                List<SelectFieldOrAsterisk> fields = new ArrayList<>(List.of(table.fields()));
                fields.add(rn);
                Condition where = via.joinCondition(parent.ref(), table);
                if (q.where() != null) {
                    where = where.and(q.where());
                }
                Table<Record> derived = limited(DSL.select(fields).from(table).where(where).orderBy(order), q)
                        .asTable(alias);
                node.ref = derived;
                joins.add(new Join(node, null, List.of(derived.field(LATERAL_NUMBER))));
            } else {
                if (unaliased.add(name)) {
                    node.ref = node.table;
                } else if (q.refersToTable()) {
                    return aliasProblem(node);
                } else {
                    node.ref = plan.alias(node.table);
                }
                Condition on = via.joinCondition(parent.ref(), node.ref());
                if (q.where() != null) {
                    on = on.and(q.where());
                }
                joins.add(new Join(node, on, node.order(node.ref())));
            }
        }
        return null;
    }

    private static String aliasProblem(Node node) {
        return "table " + node.table.getName() + " is joined more than once, so relation '" + node
                + "' reads it through an alias and its nested query cannot use where(...) or orderBy(...) written"
                + " against " + node.table.getName() + " itself";
    }

    private static Select<Record> limited(SelectLimitStep<Record> select, GraphQuery<?> q) {
        int limit = q.limit().orElse(-1);
        int offset = q.offset().orElse(-1);
        if (limit >= 0 && offset >= 0) {
            return select.limit(limit).offset(offset);
        } else if (limit >= 0) {
            return select.limit(limit);
        } else if (offset >= 0) {
            return select.offset(offset);
        }
        return select;
    }

    /** One joined node: its ON condition (null for LATERAL ... ON true) and its contribution to the order. */
    private record Join(Node node, @Nullable Condition on, List<OrderField<?>> order) {
    }

    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, GraphQuery<R> query, GraphPlan plan) {
        List<Join> joins = new ArrayList<>();
        String problem = layout(plan, joins);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        List<Node> nodes = plan.nodes();
        List<SelectField<?>> fields = new ArrayList<>();
        for (Node node : nodes) {
            node.offset = fields.size();
            fields.addAll(node.columns());
        }
        int numberIndex = fields.size();
        Field<?> number = plan.root.ref().field(ROOT_NUMBER);
        fields.add(number);
        SelectJoinStep<Record> select = DSL.select(fields).from(plan.root.ref());
        List<OrderField<?>> order = new ArrayList<>();
        order.add(number);
        for (Join join : joins) {
            select = join.on() == null ? select.leftJoin(DSL.lateral(join.node().ref())).on(DSL.trueCondition())
                    : select.leftJoin(join.node().ref()).on(join.on());
            if (!join.node().toOne()) {
                order.addAll(join.order());
            }
        }
        Result<Record> result = ctx.fetch(select.orderBy(order));
        Assembly assembly = new Assembly();
        return new Outcome<>(assembly.finish(fold(ctx, nodes, numberIndex, result, assembly)), 1, result.size());
    }

    private static List<GraphRow<?>> fold(DSLContext ctx, List<Node> nodes, int numberIndex, Result<Record> result,
            Assembly assembly) {
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        int[] parentIndex = new int[nodes.size()];
        List<int[]> keys = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            parentIndex[i] = node.parent == null ? -1 : index.get(node.parent);
            UniqueKey<?> pk = node.table.getPrimaryKey();
            List<? extends TableField<?, ?>> pkFields = pk == null ? List.of() : pk.getFields();
            int[] positions = new int[pkFields.size()];
            for (int k = 0; k < positions.length; k++) {
                positions[k] = GraphPlan.indexOf(node.table, pkFields.get(k));
            }
            keys.add(positions);
        }
        Map<Object, GraphRow<?>> roots = new LinkedHashMap<>();
        List<Map<Object, GraphRow<?>>> shared = new ArrayList<>(nodes.size());
        nodes.forEach(n -> shared.add(new HashMap<>()));
        Map<GraphRow<?>, Map<Object, GraphRow<?>>> childrenOf = new IdentityHashMap<>();
        // Rows come ordered by root and to-many level, so a node is mostly the same as in the row before: compare
        // its identifying columns with that row's before looking it up.
        GraphRow<?>[] previous = new GraphRow<?>[nodes.size()];
        Record before = null;
        Node root = nodes.get(0);
        for (Record row : result) {
            GraphRow<?>[] inRow = new GraphRow<?>[nodes.size()];
            if (before != null && Objects.equals(before.get(numberIndex), row.get(numberIndex))) {
                inRow[0] = previous[0];
            } else {
                inRow[0] = roots.computeIfAbsent(row.get(numberIndex), k -> assembly.row(root, root.record(ctx, row)));
            }
            for (int i = 1; i < nodes.size(); i++) {
                GraphRow<?> parent = inRow[parentIndex[i]];
                if (parent == null) {
                    continue;
                }
                Node node = nodes.get(i);
                int[] identity = node.toOne() ? node.targetIndex : keys.get(i);
                if (before != null && previous[i] != null && parent == previous[parentIndex[i]]
                        && same(before, row, node.offset, identity)) {
                    inRow[i] = previous[i];
                    continue;
                }
                if (!node.present(row)) {
                    continue;
                }
                GraphRow<?> b;
                if (node.toOne()) {
                    Object key = node.key(row);
                    b = shared.get(i).get(key);
                    if (b == null) {
                        b = assembly.row(node, node.record(ctx, row));
                        shared.get(i).put(key, b);
                    }
                    Assembly.one(parent, node, b);
                } else {
                    Map<Object, GraphRow<?>> children = childrenOf.computeIfAbsent(parent,
                            p -> new LinkedHashMap<>());
                    Object key = pk(row, node, keys.get(i));
                    b = children.get(key);
                    if (b == null) {
                        b = assembly.row(node, node.record(ctx, row));
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

    private static Object pk(Record row, Node node, int[] pk) {
        if (pk.length == 1) {
            return GraphPlan.comparable(row.get(node.offset + pk[0]));
        }
        List<@Nullable Object> parts = new ArrayList<>(pk.length);
        for (int i : pk) {
            parts.add(GraphPlan.comparable(row.get(node.offset + i)));
        }
        return parts;
    }

    @Override
    public String toString() {
        return "Strategy.join()";
    }
}
