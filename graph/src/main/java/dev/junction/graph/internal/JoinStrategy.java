package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Result;
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

    private JoinStrategy() {
    }

    @Override
    public String name() {
        return "join";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return plan.derived("join: unsupported", p -> Optional.ofNullable(problem(p))).orElse(null);
    }

    /** Why a flat join cannot read {@code plan}'s shape, or null; see {@link #unsupported}. */
    private static @Nullable String problem(GraphPlan plan) {
        if (!plan.toManyOnOnePath) {
            return "its " + plan.toManyCount + " to-many relations are not on one path, and a flat join would"
                    + " multiply the rows of sibling branches";
        }
        for (PlanNode node : plan.nodes) {
            if (node.parent != null && !node.toOne && node.keyIndex.length == 0) {
                return "to-many table " + node.table.getName() + " has no primary key to tell its rows apart";
            }
        }
        return aliasProblem(plan);
    }

    /**
     * The check of {@link JoinStatement#compile} without building anything: a table joined a second time is aliased,
     * and the inner table of a LATERAL subquery is aliased when its parent is the same table under its own name.
     */
    private static @Nullable String aliasProblem(GraphPlan plan) {
        Set<Name> unaliased = new HashSet<>();
        boolean[] ownName = new boolean[plan.nodes.length];
        for (PlanNode node : plan.nodes) {
            if (node.parent == null) {
                continue;
            }
            Name name = node.table.getQualifiedName();
            boolean own = false;
            if (node.toOne) {
                own = false;
            } else if (node.has(PlanNode.LIMIT) || node.has(PlanNode.OFFSET)) {
                boolean shadowed = ownName[node.parent.id] && node.parent.table.getQualifiedName().equals(name);
                if (shadowed && node.refersToTable()) {
                    return JoinStatement.aliasProblem(node);
                }
            } else if (unaliased.add(name)) {
                own = true;
            } else if (node.refersToTable()) {
                return JoinStatement.aliasProblem(node);
            }
            ownName[node.id] = own;
        }
        return null;
    }


    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        GraphPlan plan = bound.plan();
        JoinStatement compiled = plan.compiled(ctx, "join", c -> JoinStatement.compile(plan, c));
        Result<Record> result = ctx.fetch(ctx.resultQuery("{0}", compiled.template.bind(bound, null))
                .coerce(compiled.fields));
        Assembly assembly = new Assembly();
        return new Outcome<>(assembly.finish(fold(ctx, plan.nodes, compiled, result, assembly)), 1, 1, result.size());
    }

    private static List<GraphRow<?>> fold(DSLContext ctx, PlanNode[] nodes, JoinStatement compiled,
            Result<Record> result, Assembly assembly) {
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
        PlanNode root = nodes[0];
        for (Record row : result) {
            GraphRow<?>[] inRow = new GraphRow<?>[nodes.length];
            if (before != null && Objects.equals(before.get(numberIndex), row.get(numberIndex))) {
                inRow[0] = previous[0];
            } else {
                inRow[0] = roots.computeIfAbsent(row.get(numberIndex),
                        k -> assembly.row(root, root.record(ctx, row, offsets[root.id])));
            }
            for (int i = 1; i < nodes.length; i++) {
                PlanNode node = nodes[i];
                int parentId = node.parent.id;
                GraphRow<?> parent = inRow[parentId];
                if (parent == null) {
                    continue;
                }
                int offset = offsets[i];
                int[] identity = node.toOne ? node.targetAt : node.keyAt;
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
                    Object key = pk(row, offset, node.keyAt);
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
            return RowKeys.comparable(row.get(offset + pk[0]));
        }
        List<@Nullable Object> parts = new ArrayList<>(pk.length);
        for (int i : pk) {
            parts.add(RowKeys.comparable(row.get(offset + i)));
        }
        return parts;
    }

    @Override
    public String toString() {
        return "Strategy.join()";
    }
}
