package dev.junction.graph;

import dev.junction.graph.GraphPlan.Assembly;
import dev.junction.graph.GraphPlan.Bound;
import dev.junction.graph.GraphPlan.Node;
import dev.junction.graph.SqlTemplate.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Result;
import org.jooq.Select;
import org.jooq.SelectConditionStep;
import org.jooq.SelectField;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.SelectJoinStep;
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * One statement per level: the roots first, then for each to-many relation the children of all parents. In one
 * message (the default, {@link Strategy#perLevel()}) each statement selects its parents' keys itself with a subquery
 * that repeats the parent level's selection ({@link ParentKeys}), so all are sent at once; statement by statement
 * ({@link Strategy#perLevel(int)}) the keys read so far are bound, {@code child.fk = ANY(?)} (one array bind;
 * {@code (a, b) IN (SELECT * FROM unnest(?, ?))} for composite keys), in chunks of at most {@code maxKeys} parent
 * keys. To-one relations are left-joined into the statement of the level
 * that references them, so a chain of to-ones costs no extra round trip; their rows are mapped once per key, so a
 * shared row (and everything below it) is one node and its children are fetched once. Children keep their query's
 * order; a per-parent limit or offset is applied with {@code row_number() OVER (PARTITION BY fk ...)}. Below the
 * root, a to-one with relations of its own gets a statement of its own (its shared rows are read once) unless the
 * query reads at most {@link #FOLD_MAX_ROOTS} roots, where the round trip costs more than the repeated rows.
 *
 * <p>The levels and their SQL are made once per graph shape ({@link GraphPlan#compiled}); a fetch binds its filter,
 * order, limit and key values to them. With more than one level the statements run on one connection and one
 * snapshot ({@link Snapshot}).
 */
final class PerLevelStrategy extends BuiltInStrategy {
    static final int DEFAULT_MAX_KEYS = 5_000;
    static final PerLevelStrategy DEFAULT = new PerLevelStrategy(DEFAULT_MAX_KEYS, true);
    /**
     * The most roots for which every to-one relation is joined into its parent's statement, also one with relations
     * of its own: below that a repeated to-one row costs less than the round trip of a statement of its own.
     */
    static final int FOLD_MAX_ROOTS = 50;
    /** The names of the compiled forms, by (to-ones joined ? 1 : 0) + (in one message ? 2 : 0). */
    private static final String[] VARIANTS = {"per-level", "per-level, to-ones joined", "per-level, in one message",
        "per-level, to-ones joined, in one message"};
    private static final String ROW_NUMBER = "junction_rn";
    private static final String LEVEL_ALIAS = "junction_l";

    private final int maxKeys;
    /** Whether the levels' statements may travel in one message (see {@link Levels#compile}). */
    private final boolean pipelined;

    PerLevelStrategy(int maxKeys, boolean pipelined) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeysPerStatement must be >= 1, but was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.pipelined = pipelined;
    }

    @Override
    public String name() {
        return "per-level";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return null;
    }

    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        // Few roots: a to-one read by a statement of its own saves repeating few rows, but costs a statement (and a
        // round trip when the statements are sent one by one).
        boolean fold = AutomaticStrategy.roots(bound.root()).orElse(Integer.MAX_VALUE) <= FOLD_MAX_ROOTS;
        GraphPlan plan = bound.plan();
        boolean together = pipelined && Levels.pipelinable(plan);
        Levels levels = plan.compiled(ctx, VARIANTS[(fold ? 1 : 0) + (together ? 2 : 0)],
                c -> Levels.compile(plan, fold, together, c));
        long[] rows = {0};
        Snapshot[] used = new Snapshot[1];
        Assembly assembly = new Assembly();
        List<GraphRow<?>> roots = levels.levels.length > 1
                ? Snapshot.read(ctx, s -> new Run(used[0] = s, rows, levels, bound, assembly).all())
                : new Run(used[0] = Snapshot.single(ctx), rows, levels, bound, assembly).all();
        int statements = used[0].statements();
        return new Outcome<>(assembly.finish(roots), statements,
                levels.together != null ? 1 : statements, rows[0]);
    }

    /**
     * The levels of a plan: a level is a root or to-many node plus the to-one nodes joined into its statement. Read
     * depth first in array order, so the last level read is the last one here. Immutable.
     */
    static final class Levels {
        final Level[] levels;
        /** The index of the level that reads each node, by node id. */
        final int[] levelOf;
        /** All levels' statements as one text, sent in one message; null when they are sent one by one. */
        final @Nullable SqlTemplate together;

        private Levels(Level[] levels, int[] levelOf, @Nullable SqlTemplate together) {
            this.levels = levels;
            this.levelOf = levelOf;
            this.together = together;
        }

        /**
         * True when every level's statement can select its rows itself, without the parent keys read by the
         * statement before: the rows of a level with a limit or offset (the roots, or a per-parent window) must then
         * be the same in every statement that selects them, which their order guarantees only when it ends with a
         * unique key.
         */
        static boolean pipelinable(GraphPlan plan) {
            for (Node node : plan.nodes) {
                boolean limited = node.has(Node.LIMIT) || node.has(Node.OFFSET);
                if (limited && !node.toOne && node.keyIndex.length == 0) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Groups the plan's nodes into levels and renders each level's statement. With {@code foldToOnes}, every
         * to-one relation is joined into its parent's statement, also one with relations of its own (the film of a
         * film_actor row, whose categories are read next); otherwise only leaf to-ones below the root are: any other
         * to-one gets a level of its own, whose rows are read once per distinct key, so a row that many children
         * share is read, mapped and followed further once.
         */
        static Levels compile(GraphPlan plan, boolean foldToOnes, boolean together, DSLContext ctx) {
            int[] levelOf = new int[plan.nodes.length];
            Arrays.fill(levelOf, -1);
            List<List<Node>> groups = new ArrayList<>();
            collect(plan.root, foldToOnes, groups, levelOf);
            Table<?>[] refs = new Table<?>[plan.nodes.length];
            int aliases = 0;
            for (Node node : plan.nodes) {
                refs[node.id] = node.toOne ? node.table.as(GraphPlan.TABLE_ALIAS + (++aliases)) : node.table;
            }
            Level[] levels = new Level[groups.size()];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = new Level(i, groups.get(i).toArray(Node[]::new), refs, ctx,
                        together ? new ParentKeys(levels, levelOf, refs) : null);
            }
            if (!together || levels.length == 1) {
                return new Levels(levels, levelOf, null);
            }
            List<SqlTemplate> each = new ArrayList<>(levels.length);
            for (Level level : levels) {
                each.add(level.template);
            }
            return new Levels(levels, levelOf, SqlTemplate.concat(each, "; "));
        }

        private static void collect(Node head, boolean fold, List<List<Node>> groups, int[] levelOf) {
            List<Node> members = new ArrayList<>(2);
            int index = groups.size();
            groups.add(members);
            addMembers(members, index, head, head.parent == null || fold, levelOf);
            for (int m = 0; m < members.size(); m++) {
                for (Node child : members.get(m).children) {
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
        private static void addMembers(List<Node> members, int level, Node node, boolean all, int[] levelOf) {
            members.add(node);
            levelOf[node.id] = level;
            for (Node child : node.children) {
                if (child.toOne && (all || child.children.isEmpty())) {
                    addMembers(members, level, child, all, levelOf);
                }
            }
        }
    }

    /** One level: its statement, what it reads and where each member's columns are in a row. Immutable. */
    static final class Level {
        final int index;
        final Node head;
        final Node[] members;
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
        Level(int index, Node[] members, Table<?>[] refs, DSLContext ctx, @Nullable ParentKeys parentKeys) {
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
            boolean window = head.parent != null && (head.has(Node.LIMIT) || head.has(Node.OFFSET));
            Condition keys = head.parent == null ? DSL.noCondition()
                    : parentKeys == null ? keyFilter(b, keyColumns, keyTypes) : parentKeys.filter(head, b);
            Condition where = DSL.and(keys, head.has(Node.WHERE) ? b.where(head.id) : DSL.noCondition());
            List<OrderField<?>> headOrder = head.has(Node.ORDER) ? List.of(b.order(head.id))
                    : head.keyOrder(head.table);
            if (parentKeys != null && head.has(Node.ORDER)) {
                // The same rows in every statement that selects them: ties broken by the key.
                headOrder = new ArrayList<>(headOrder);
                headOrder.addAll(head.keyOrder(head.table));
            }
            Condition outer;
            List<OrderField<?>> order;
            if (window) {
                var over = DSL.partitionBy(keyColumns.stream().map(f -> Relation.column(head.table, f)).toList());
                Field<Integer> rn = (headOrder.isEmpty() ? DSL.rowNumber().over(over)
                        : DSL.rowNumber().over(over.orderBy(headOrder))).as(ROW_NUMBER);
                List<SelectFieldOrAsterisk> inner = new ArrayList<>(List.of(head.table.fields()));
                inner.add(rn);
                Table<Record> derived = DSL.select(inner).from(head.table).where(where)
                        .asTable(LEVEL_ALIAS + index);
                from = refs[head.id] = derived;
                Field<Integer> number = (Field<Integer>) derived.field(ROW_NUMBER);
                outer = number.gt(b.number(Kind.WINDOW_FROM, head.id));
                if (head.has(Node.LIMIT)) {
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
            this.typed = parentKeys == null && members.length == 1 && from == head.table;
            this.from = from;
            this.outer = outer;
            this.order = order;
            SelectJoinStep<Record> select = DSL.select((List<SelectField<?>>) (List<?>) fields).from(from);
            for (int i = 1; i < members.length; i++) {
                Node member = members[i];
                select = select.leftJoin(refs[member.id])
                        .on(member.via().joinCondition(refs[member.parent.id], refs[member.id]));
            }
            this.template = b.render(ctx, limited(select.where(outer).orderBy(order), head, b));
        }

        /** The roots' limit and offset; a nested level's are applied by its window. */
        static Select<Record> limited(SelectLimitStep<Record> select, Node head, SqlTemplate.Builder b) {
            return head.parent != null ? select : JoinStrategy.limited(select, head, b);
        }
    }

    /**
     * The parent keys of a level selected on the server: {@code fk = ANY(ARRAY(SELECT key FROM <parent level>))}, or
     * {@code (a, b) IN (SELECT ...)} for composite keys, where the subquery repeats the parent level's selection
     * (itself filtered the same way, down to the roots). In one snapshot it selects exactly the parents the parent
     * level's statement returns. ANY(ARRAY(...)) rather than IN: PostgreSQL evaluates the array once and probes the
     * foreign key's index with it, as for a bound array, where an IN subquery tends to become a hash join.
     */
    static final class ParentKeys {
        private final Level[] levels;
        private final int[] levelOf;
        private final Table<?>[] refs;

        ParentKeys(Level[] levels, int[] levelOf, Table<?>[] refs) {
            this.levels = levels;
            this.levelOf = levelOf;
            this.refs = refs;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Condition filter(Node head, SqlTemplate.Builder b) {
            Node parent = head.parent;
            if (parent == null) {
                throw new IllegalStateException("the roots have no parent keys");
            }
            Select<? extends Record> keys = select(parent, head.sourceIndex, b);
            List<? extends Field<?>> target = head.via().targetFields();
            if (target.size() == 1) {
                Field<Object> column = (Field<Object>) Relation.column(head.table, target.get(0));
                return column.eq(DSL.any(DSL.array((Select<Record1<Object>>) (Select) keys)));
            }
            List<Field<?>> columns = target.stream().<Field<?>>map(f -> Relation.column(head.table, f)).toList();
            return DSL.row(columns).in((Select) keys);
        }

        /**
         * The values of {@code node}'s columns at {@code indexes} for every row of {@code node} its level selects. A
         * to-one row's key columns equal the columns its parent references it with, so those are selected instead,
         * without joining the to-one's table (a key that matches no row only selects children nobody asks for).
         */
        private Select<? extends Record> select(Node node, int[] indexes, SqlTemplate.Builder b) {
            while (node.toOne && node.parent != null && contains(node.targetIndex, indexes)) {
                int[] mapped = new int[indexes.length];
                for (int i = 0; i < indexes.length; i++) {
                    mapped[i] = node.sourceIndex[position(node.targetIndex, indexes[i])];
                }
                indexes = mapped;
                node = node.parent;
            }
            Level level = levels[levelOf[node.id]];
            List<Field<?>> columns = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                columns.add(Relation.column(refs[node.id], node.fields[i]));
            }
            SelectJoinStep<Record> select = DSL.select(columns).from(level.from);
            List<Node> path = new ArrayList<>();
            for (Node n = node; n != level.head; n = n.parent) {
                path.add(0, n);
            }
            for (Node n : path) {
                select = select.leftJoin(refs[n.id]).on(n.via().joinCondition(refs[n.parent.id], refs[n.id]));
            }
            SelectConditionStep<Record> where = select.where(level.outer);
            Node head = level.head;
            boolean limited = head.parent == null && (head.has(Node.LIMIT) || head.has(Node.OFFSET));
            return limited ? Level.limited(where.orderBy(level.order), head, b) : where;
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

    /** One fetch: the snapshot whose connection runs the statements, its values, and the rows read. */
    private final class Run {
        private final Snapshot snapshot;
        private final DSLContext ctx;
        private final long[] rows;
        private final Levels levels;
        private final Bound bound;
        private final Assembly assembly;
        /** With the levels sent in one message: every level's rows, by level index. */
        private @Nullable List<Result<Record>> results;

        Run(Snapshot snapshot, long[] rows, Levels levels, Bound bound, Assembly assembly) {
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
                for (Level level : levels.levels) {
                    fields.add(level.fields);
                }
                results = snapshot.fetchAll(together.bind(bound, null), fields);
            }
            Level level = levels.levels[0];
            LevelRows roots = new LevelRows(level);
            read(level, null, roots, levels.levels.length == 1);
            descend(roots);
            return roots.heads;
        }

        /** Reads the children of every relation of {@code parents}' level read by another level, depth first. */
        private void descend(LevelRows parents) {
            Level level = parents.level;
            for (int m = 0; m < level.members.length; m++) {
                for (Node child : level.members[m].children) {
                    Level next = levels.levels[levels.levelOf[child.id]];
                    if (next == level) {
                        continue; // a to-one joined into the parents' own statement
                    }
                    Map<Object, List<GraphRow<?>>> byKey = new HashMap<>();
                    List<Record> keyRecords = new ArrayList<>();
                    for (GraphRow<?> parent : parents.of(m)) {
                        Object key = GraphPlan.key(parent.record(), child.sourceIndex);
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
                        List<GraphRow<?>> owners = byKey.get(GraphPlan.key(head.record(), child.targetIndex));
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
        private void read(Level level, Field<?> @Nullable [] keys, LevelRows out, boolean last) {
            List<Result<Record>> all = results;
            Result<? extends Record> result = all != null ? all.get(level.index)
                    : snapshot.fetch(level.template.bind(bound, keys), level.fields,
                            level.typed ? level.head.table : null, last);
            rows[0] += result.size();
            Node head = level.head;
            Node[] members = level.members;
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
    }

    /** The rows of one level: its heads in order and, per member, its distinct rows (to-ones mapped once per key). */
    private static final class LevelRows {
        final Level level;
        final List<GraphRow<?>> heads = new ArrayList<>();
        private final @Nullable Map<Object, GraphRow<?>>[] shared;

        @SuppressWarnings({"unchecked", "rawtypes"})
        LevelRows(Level level) {
            this.level = level;
            this.shared = new Map[level.members.length];
        }

        GraphRow<?> shared(int member, Node node, Record row, int offset, DSLContext ctx, Assembly assembly) {
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

    @Override
    public String toString() {
        return pipelined ? "Strategy.perLevel()" : "Strategy.perLevel(" + maxKeys + ")";
    }
}
