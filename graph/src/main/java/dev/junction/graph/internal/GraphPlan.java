package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a graph query unfolded into a tree of {@link PlanNode}s (one per table occurrence), without any of the
 * query's values (filters, limits, offsets, explicit orders): immutable, shared by every fetch of the same shape, and
 * cached. A fetch pairs it with its own queries in a {@link Bound}.
 *
 * <p>The plan states facts about the shape (how many to-many relations, whether they lie on one path, whether every
 * limited level has a key); it does not know the strategies. They judge from those facts what they can read, and keep
 * what they derive from a plan in it: verdicts with {@link #derived}, rendered statements with {@link #compiled}, so
 * that a fetch only binds its values and maps rows.
 */
final class GraphPlan {
    /** The prefix of the aliases strategies give a table that is read twice in one statement. */
    static final String TABLE_ALIAS = "junction_t";
    /**
     * Plans kept at most. Shapes come from code, so there are few; the bound only protects against code that builds
     * tables per call (aliases, derived tables), whose shapes would never repeat.
     */
    private static final int MAX_PLANS = 512;
    private static final ConcurrentHashMap<PlanShape, GraphPlan> PLANS = new ConcurrentHashMap<>();

    final PlanNode root;
    /** Every node, depth first, parents before children; {@code nodes[n.id] == n}. */
    final PlanNode[] nodes;
    /** The number of to-many relations. */
    final int toManyCount;
    /** True when no node has to-many relations in two of its branches (which a flat join would multiply). */
    final boolean toManyOnOnePath;
    /**
     * True when every root or to-many node whose query sets a limit or offset has a primary key: ordered by it last,
     * its rows are the same in every statement that selects them.
     */
    final boolean limitedLevelsKeyed;
    private final ConcurrentHashMap<String, Object> derived = new ConcurrentHashMap<>();
    private final CompiledForms compiled = new CompiledForms();

    private GraphPlan(GraphQuery<?> query) {
        List<PlanNode> all = new ArrayList<>();
        this.root = unfold(query, null, null, all);
        this.nodes = all.toArray(PlanNode[]::new);
        int toMany = 0;
        boolean keyed = true;
        for (PlanNode n : nodes) {
            toMany += n.parent != null && !n.toOne ? 1 : 0;
            boolean limited = n.has(PlanNode.LIMIT) || n.has(PlanNode.OFFSET);
            keyed &= !limited || n.toOne || n.keyIndex.length > 0;
        }
        this.toManyCount = toMany;
        this.toManyOnOnePath = onOnePath(nodes);
        this.limitedLevelsKeyed = keyed;
    }

    /** The plan of {@code query}'s shape (cached) and the query's nodes in the plan's order. */
    static Bound bind(GraphQuery<?> query) {
        List<GraphQuery<?>> queries = new ArrayList<>();
        PlanShape shape = PlanShape.of(query, queries);
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

    private static PlanNode unfold(GraphQuery<?> query, @Nullable Relation<?, ?> via, @Nullable PlanNode parent,
            List<PlanNode> all) {
        PlanNode node = new PlanNode(all.size(), query, via, parent);
        all.add(node);
        List<PlanNode> children = new ArrayList<>(query.links().size());
        for (GraphQuery.Link<?, ?> link : query.links()) {
            children.add(unfold(link.query(), link.relation(), node, all));
        }
        node.children = List.copyOf(children);
        node.complete();
        return node;
    }

    private static boolean onOnePath(PlanNode[] nodes) {
        for (PlanNode node : nodes) {
            int branches = 0;
            for (PlanNode child : node.children) {
                branches += hasToMany(child) ? 1 : 0;
            }
            if (branches > 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasToMany(PlanNode node) {
        if (!node.toOne) {
            return true;
        }
        for (PlanNode child : node.children) {
            if (hasToMany(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a strategy derives from the shape alone (no rendering configuration), such as why it cannot read it: made
     * once per plan by {@code derive} and kept under {@code key}, which the strategy chooses. Never null.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(String key, Function<GraphPlan, T> derive) {
        Object value = derived.get(key);
        if (value == null) {
            value = derived.computeIfAbsent(key, k -> derive.apply(this));
        }
        return (T) value;
    }

    /**
     * What a strategy derived from this plan for rendering with {@code ctx}'s dialect and settings (its statements'
     * SQL): made once by {@code compile} and kept, so later fetches with the same rendering configuration skip it.
     */
    <T> T compiled(DSLContext ctx, String variant, Function<DSLContext, T> compile) {
        return compiled.get(ctx, variant, compile);
    }
}
