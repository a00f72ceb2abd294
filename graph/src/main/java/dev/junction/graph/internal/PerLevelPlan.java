package dev.junction.graph.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * Per-level's compiled form of a {@link GraphPlan}: its levels, each a root or to-many node plus the to-one nodes
 * joined into its statement, with their rendered statements. Read depth first in array order, so the last level
 * read is the last one here. Made once per plan and rendering configuration, shared by every fetch; immutable.
 */
final class PerLevelPlan {
    final LevelStatement[] levels;
    /** The index of the level that reads each node, by node id. */
    final int[] levelOf;
    /** All levels' statements as one text, sent in one message; null when they are sent one by one. */
    final @Nullable SqlTemplate together;

    private PerLevelPlan(LevelStatement[] levels, int[] levelOf, @Nullable SqlTemplate together) {
        this.levels = levels;
        this.levelOf = levelOf;
        this.together = together;
    }

    /**
     * Groups the plan's nodes into levels and renders each level's statement. With {@code foldToOnes}, every
     * to-one relation is joined into its parent's statement, also one with relations of its own (the film of a
     * film_actor row, whose categories are read next); otherwise only leaf to-ones below the root are: any other
     * to-one gets a level of its own, whose rows are read once per distinct key, so a row that many children
     * share is read, mapped and followed further once.
     */
    static PerLevelPlan compile(GraphPlan plan, boolean foldToOnes, boolean together, DSLContext ctx) {
        int[] levelOf = new int[plan.nodes.length];
        Arrays.fill(levelOf, -1);
        List<List<PlanNode>> groups = new ArrayList<>();
        collect(plan.root, foldToOnes, groups, levelOf);
        Table<?>[] refs = new Table<?>[plan.nodes.length];
        int aliases = 0;
        for (PlanNode node : plan.nodes) {
            refs[node.id] = node.toOne ? node.table.as(GraphPlan.TABLE_ALIAS + (++aliases)) : node.table;
        }
        LevelStatement[] levels = new LevelStatement[groups.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new LevelStatement(i, groups.get(i).toArray(PlanNode[]::new), refs, ctx,
                    together ? new ParentKeys(levels, levelOf, refs) : null);
        }
        if (!together || levels.length == 1) {
            return new PerLevelPlan(levels, levelOf, null);
        }
        List<SqlTemplate> each = new ArrayList<>(levels.length);
        for (LevelStatement level : levels) {
            each.add(level.template);
        }
        return new PerLevelPlan(levels, levelOf, SqlTemplate.concat(each, "; "));
    }

    private static void collect(PlanNode head, boolean fold, List<List<PlanNode>> groups, int[] levelOf) {
        List<PlanNode> members = new ArrayList<>(2);
        int index = groups.size();
        groups.add(members);
        addMembers(members, index, head, head.parent == null || fold, levelOf);
        for (int m = 0; m < members.size(); m++) {
            for (PlanNode child : members.get(m).children) {
                if (levelOf[child.id] < 0) {
                    collect(child, fold, groups, levelOf);
                }
            }
        }
    }

    /**
     * Adds {@code node} and the to-one relations joined into its statement: on the root level (or when folding)
     * all of them, recursively; below the root only leaves (to-one rows without relations of their own, such as a
     * category), whose repeated columns are cheap.
     */
    private static void addMembers(List<PlanNode> members, int level, PlanNode node, boolean all, int[] levelOf) {
        members.add(node);
        levelOf[node.id] = level;
        for (PlanNode child : node.children) {
            if (child.toOne && (all || child.children.isEmpty())) {
                addMembers(members, level, child, all, levelOf);
            }
        }
    }
}
