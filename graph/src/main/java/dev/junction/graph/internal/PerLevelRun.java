package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jspecify.annotations.Nullable;

/**
 * One per-level fetch, the execution of a {@link PerLevelPlan}: the snapshot whose connection runs the statements,
 * the fetch's values, and the rows read, assembled into the graph. Confined to the fetching thread.
 */
final class PerLevelRun {
    /** The most parent keys bound to one statement, when the levels are sent one by one. */
    private final int maxKeys;
    private final Snapshot snapshot;
    private final DSLContext ctx;
    private final long[] rows;
    private final PerLevelPlan levels;
    private final Bound bound;
    private final Assembly assembly;
    /** With the levels sent in one message: every level's rows, by level index. */
    private @Nullable List<Result<Record>> results;

    PerLevelRun(int maxKeys, Snapshot snapshot, long[] rows, PerLevelPlan levels, Bound bound, Assembly assembly) {
        this.maxKeys = maxKeys;
        this.snapshot = snapshot;
        this.ctx = snapshot.ctx();
        this.rows = rows;
        this.levels = levels;
        this.bound = bound;
        this.assembly = assembly;
    }

    /** Reads the levels depth first, in the order they were grouped, so the last level read is the last one. */
    List<GraphRow<?>> all() {
        SqlTemplate together = levels.together;
        if (together != null) {
            List<List<Field<?>>> fields = new ArrayList<>(levels.levels.length);
            for (LevelStatement level : levels.levels) {
                fields.add(level.fields);
            }
            results = snapshot.fetchAll(together.bind(bound, null), fields);
        }
        LevelStatement level = levels.levels[0];
        LevelRows roots = new LevelRows(level);
        read(level, null, roots, levels.levels.length == 1);
        descend(roots);
        return roots.heads;
    }

    /** Reads the children of every relation of {@code parents}' level read by another level, depth first. */
    private void descend(LevelRows parents) {
        LevelStatement level = parents.level;
        for (int m = 0; m < level.members.length; m++) {
            for (PlanNode child : level.members[m].children) {
                LevelStatement next = levels.levels[levels.levelOf[child.id]];
                if (next == level) {
                    continue; // a to-one joined into the parents' own statement
                }
                Map<Object, List<GraphRow<?>>> byKey = new HashMap<>();
                List<Record> keyRecords = new ArrayList<>();
                for (GraphRow<?> parent : parents.of(m)) {
                    Object key = RowKeys.key(parent.record(), child.sourceIndex);
                    if (key == null) {
                        continue;
                    }
                    List<GraphRow<?>> owners = byKey.get(key);
                    if (owners == null) {
                        owners = new ArrayList<>(1);
                        byKey.put(key, owners);
                        keyRecords.add(parent.record());
                    }
                    owners.add(parent);
                }
                if (keyRecords.isEmpty()) {
                    continue;
                }
                LevelRows children = new LevelRows(next);
                boolean lastLevel = next.index == levels.levels.length - 1;
                if (results != null) {
                    read(next, null, children, lastLevel);
                }
                for (int from = 0; results == null && from < keyRecords.size(); from += maxKeys) {
                    int to = Math.min(keyRecords.size(), from + maxKeys);
                    Field<?>[] keys = KeyArrays.of(child.via().targetFields(), child.sourceIndex, next.keyTypes,
                            keyRecords.subList(from, to));
                    read(next, keys, children, lastLevel && to == keyRecords.size());
                }
                for (GraphRow<?> head : children.heads) {
                    List<GraphRow<?>> owners = byKey.get(RowKeys.key(head.record(), child.targetIndex));
                    if (owners == null) {
                        continue;
                    }
                    for (GraphRow<?> owner : owners) {
                        if (child.toOne) {
                            Assembly.one(owner, child, head);
                        } else {
                            Assembly.add(owner, child, head);
                        }
                    }
                }
                descend(children);
            }
        }
    }

    /**
     * Runs the level's statement (for one chunk of keys) and maps its rows into {@code out}; {@code last}: no
     * statement follows, so the snapshot's commit can go with this one.
     */
    private void read(LevelStatement level, Field<?> @Nullable [] keys, LevelRows out, boolean last) {
        List<Result<Record>> all = results;
        Result<? extends Record> result = all != null ? all.get(level.index)
                : snapshot.fetch(level.template.bind(bound, keys), level.fields,
                        level.typed ? level.head.table : null, last);
        rows[0] += result.size();
        PlanNode head = level.head;
        PlanNode[] members = level.members;
        int[] offsets = level.offsets;
        int[] parentMember = level.parentMember;
        for (Record row : result) {
            GraphRow<?> h = assembly.row(head, level.typed ? row : head.record(ctx, row, offsets[0]));
            out.heads.add(h);
            if (members.length == 1) {
                continue;
            }
            GraphRow<?>[] inRow = new GraphRow<?>[members.length];
            inRow[0] = h;
            for (int i = 1; i < members.length; i++) {
                GraphRow<?> parent = inRow[parentMember[i]];
                if (parent == null || !members[i].present(row, offsets[i])) {
                    continue;
                }
                inRow[i] = out.shared(i, members[i], row, offsets[i], ctx, assembly);
                Assembly.one(parent, members[i], inRow[i]);
            }
        }
    }

    /** The rows of one level: its heads in order and, per member, its distinct rows (to-ones mapped once per key). */
    private static final class LevelRows {
        final LevelStatement level;
        final List<GraphRow<?>> heads = new ArrayList<>();
        private final @Nullable Map<Object, GraphRow<?>>[] shared;

        @SuppressWarnings({"unchecked", "rawtypes"})
        LevelRows(LevelStatement level) {
            this.level = level;
            this.shared = new Map[level.members.length];
        }

        GraphRow<?> shared(int member, PlanNode node, Record row, int offset, DSLContext ctx, Assembly assembly) {
            Map<Object, GraphRow<?>> byKey = shared[member];
            if (byKey == null) {
                byKey = new LinkedHashMap<>();
                shared[member] = byKey;
            }
            Object key = node.key(row, offset);
            GraphRow<?> b = byKey.get(key);
            if (b == null) {
                b = assembly.row(node, node.record(ctx, row, offset));
                byKey.put(key, b);
            }
            return b;
        }

        /** The distinct rows of member {@code m} in the order first read. */
        List<GraphRow<?>> of(int m) {
            if (m == 0) {
                return heads;
            }
            Map<Object, GraphRow<?>> byKey = shared[m];
            return byKey == null ? List.of() : new ArrayList<>(byKey.values());
        }
    }
}
