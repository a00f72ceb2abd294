package dev.junction.codegen.runtime;

import dev.junction.codegen.runtime.GraphPlan.Assembly;
import dev.junction.codegen.runtime.GraphPlan.Level;
import dev.junction.codegen.runtime.GraphPlan.Node;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * One statement per level: the roots first, then for each to-many relation the children of all parents read so far
 * with {@code child.fk = ANY(?)} (one array bind; {@code (a, b) IN (SELECT * FROM unnest(?, ?))} for composite keys),
 * in chunks of at most {@code maxKeys} parent keys. To-one relations are left-joined into the statement of the level
 * that references them, so a chain of to-ones costs no extra round trip; their rows are mapped once per key, so a
 * shared row (and everything below it) is one node and its children are fetched once. Children keep their query's
 * order; a per-parent limit or offset is applied with {@code row_number() OVER (PARTITION BY fk ...)}. Below the
 * root, a to-one with relations of its own gets a statement of its own (its shared rows are read once) unless the
 * query reads at most {@link #FOLD_MAX_ROOTS} roots, where the round trip costs more than the repeated rows.
 *
 * <p>With more than one level the statements run on one connection and one snapshot ({@link Snapshot}).
 */
final class PerLevelStrategy extends BuiltInStrategy {
    static final int DEFAULT_MAX_KEYS = 5_000;
    static final PerLevelStrategy DEFAULT = new PerLevelStrategy(DEFAULT_MAX_KEYS);
    /**
     * The most roots for which every to-one relation is joined into its parent's statement, also one with relations
     * of its own: below that a repeated to-one row costs less than the round trip of a statement of its own.
     */
    static final int FOLD_MAX_ROOTS = 50;
    private static final String ROW_NUMBER = "junction_rn";
    private static final String LEVEL_ALIAS = "junction_l";

    private final int maxKeys;

    PerLevelStrategy(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeysPerStatement must be >= 1, but was " + maxKeys);
        }
        this.maxKeys = maxKeys;
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
    <R extends Record> Outcome<R> run(DSLContext ctx, GraphQuery<R> query, GraphPlan plan) {
        // Few roots: a to-one read in its own statement saves repeating few rows but costs a round trip.
        plan.regroup(AutomaticStrategy.roots(query).orElse(Integer.MAX_VALUE) <= FOLD_MAX_ROOTS);
        for (GraphPlan.Node node : plan.nodes()) {
            node.ref = node.toOne() ? plan.alias(node.table) : node.table;
        }
        long[] rows = {0};
        Snapshot[] used = new Snapshot[1];
        Assembly assembly = new Assembly();
        List<GraphRow<?>> roots = plan.levels.size() > 1
                ? Snapshot.read(ctx, s -> new Run(used[0] = s, rows, plan, assembly).all())
                : new Run(used[0] = Snapshot.single(ctx), rows, plan, assembly).all();
        return new Outcome<>(assembly.finish(roots), used[0].statements(), rows[0]);
    }

    /** One fetch: the snapshot whose connection runs the statements, and the row counter. */
    private final class Run {
        private final Snapshot snapshot;
        private final DSLContext ctx;
        private final long[] rows;
        private final Level rootLevel;
        private final Level lastLevel;

        private final Assembly assembly;

        Run(Snapshot snapshot, long[] rows, GraphPlan plan, Assembly assembly) {
            this.assembly = assembly;
            this.snapshot = snapshot;
            this.ctx = snapshot.ctx();
            this.rows = rows;
            this.rootLevel = plan.levels.get(0);
            this.lastLevel = plan.levels.get(plan.levels.size() - 1);
        }

        /** Reads the levels in the plan's order (depth first), so the last level read is the plan's last. */
        List<GraphRow<?>> all() {
            Level level = rootLevel;
            LevelRows roots = new LevelRows(level);
            read(level, null, roots, level == lastLevel);
            descend(roots);
            return roots.heads;
        }

        /** Reads the children of every to-many relation of {@code parents}' level, then theirs, depth first. */
        private void descend(LevelRows parents) {
            for (Node member : parents.level.members) {
                for (Node child : member.children) {
                    if (child.level == parents.level) {
                        continue; // a to-one joined into the parents' own statement
                    }
                    Relation<?, ?> via = child.via();
                    Map<Object, List<GraphRow<?>>> byKey = new LinkedHashMap<>();
                    Map<Object, Record> keyRecords = new LinkedHashMap<>();
                    for (GraphRow<?> parent : parents.of(member)) {
                        Object key = GraphPlan.key(parent.record(), child.sourceIndex);
                        if (key != null) {
                            byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(parent);
                            keyRecords.putIfAbsent(key, parent.record());
                        }
                    }
                    if (byKey.isEmpty()) {
                        continue;
                    }
                    Level level = child.level;
                    LevelRows children = new LevelRows(level);
                    List<Record> keys = new ArrayList<>(keyRecords.values());
                    for (int from = 0; from < keys.size(); from += maxKeys) {
                        int to = Math.min(keys.size(), from + maxKeys);
                        read(level, keyFilter(via, keys.subList(from, to)), children,
                                level == lastLevel && to == keys.size());
                    }
                    for (GraphRow<?> head : children.heads) {
                        List<GraphRow<?>> owners = byKey.get(GraphPlan.key(head.record(), child.targetIndex));
                        if (owners != null) {
                            for (GraphRow<?> owner : owners) {
                                if (child.toOne()) {
                                    Assembly.one(owner, child, head);
                                } else {
                                    Assembly.add(owner, child, head);
                                }
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
        @SuppressWarnings({"unchecked", "rawtypes"})
        private void read(Level level, @Nullable Condition keys, LevelRows out, boolean last) {
            List<SelectField<?>> fields = new ArrayList<>();
            Select<Record> select = select(level, keys, fields);
            // A statement that reads one table as itself: jOOQ creates the table's records, no copy needed.
            boolean typed = level.members.size() == 1 && level.head.ref() == level.head.table;
            Result<? extends Record> result = snapshot.fetch(select, (List) fields,
                    typed ? level.head.table : null, last);
            rows[0] += result.size();
            int size = level.members.size();
            for (Record row : result) {
                GraphRow<?>[] inRow = new GraphRow<?>[size];
                Node head = level.head;
                GraphRow<?> h = assembly.row(head, typed ? row : head.record(ctx, row));
                inRow[0] = h;
                out.heads.add(h);
                for (int i = 1; i < size; i++) {
                    Node member = level.members.get(i);
                    GraphRow<?> parent = inRow[out.parentIndex[i]];
                    if (parent == null) {
                        continue;
                    }
                    if (!member.present(row)) {
                        continue;
                    }
                    inRow[i] = out.shared(i, member, row, ctx, assembly);
                    Assembly.one(parent, member, inRow[i]);
                }
            }
        }

        private Select<Record> select(Level level, @Nullable Condition keys, List<SelectField<?>> fields) {
            Node head = level.head;
            GraphQuery<?> q = head.query;
            boolean window = head.parent != null && (q.limit().isPresent() || q.offset().isPresent());
            Condition where = DSL.and(keys == null ? DSL.noCondition() : keys,
                    q.where() == null ? DSL.noCondition() : q.where());
            List<OrderField<?>> order;
            Condition outer;
            if (window) {
                Table<?> t = head.table;
                var over = DSL.partitionBy(columns(t, head.via().targetFields()));
                List<OrderField<?>> headOrder = head.order(t);
                Field<Integer> rn = (headOrder.isEmpty() ? DSL.rowNumber().over(over)
                        : DSL.rowNumber().over(over.orderBy(headOrder))).as(ROW_NUMBER);
                List<SelectFieldOrAsterisk> inner = new ArrayList<>(List.of(t.fields()));
                inner.add(rn);
                Table<Record> derived = DSL.select(inner).from(t).where(where).asTable(LEVEL_ALIAS + level.index);
                head.ref = derived;
                @SuppressWarnings("unchecked")
                Field<Integer> number = (Field<Integer>) derived.field(ROW_NUMBER);
                int offset = q.offset().orElse(0);
                outer = number.gt(offset);
                if (q.limit().isPresent()) {
                    outer = outer.and(number.le(offset + q.limit().getAsInt()));
                }
                order = List.of(number);
            } else {
                head.ref = head.table;
                outer = where;
                order = head.order(head.table);
            }
            for (Node member : level.members) {
                member.offset = fields.size();
                fields.addAll(member.columns());
            }
            SelectJoinStep<Record> from = DSL.select(fields).from(head.ref());
            for (int i = 1; i < level.members.size(); i++) {
                Node member = level.members.get(i);
                Node parent = member.parent;
                from = from.leftJoin(member.ref()).on(member.via().joinCondition(parent.ref(), member.ref()));
            }
            SelectLimitStep<Record> ordered = from.where(outer).orderBy(order);
            if (head.parent == null) {
                int limit = q.limit().orElse(-1);
                int offset = q.offset().orElse(-1);
                if (limit >= 0 && offset >= 0) {
                    return ordered.limit(limit).offset(offset);
                } else if (limit >= 0) {
                    return ordered.limit(limit);
                } else if (offset >= 0) {
                    return ordered.offset(offset);
                }
            }
            return ordered;
        }
    }

    /**
     * {@code fk = ANY(?)} with the parents' key values converted to the foreign key's type, or for composite keys
     * {@code (a, b) IN (SELECT * FROM unnest(?, ?))}: one bind per column whatever the number of keys, so the
     * statement's text (and its prepared plan) stays the same.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Condition keyFilter(Relation<?, ?> via, List<Record> parents) {
        List<? extends Field<?>> target = via.targetFields();
        List<? extends Field<?>> source = via.sourceFields();
        List<Field<?>> arrays = new ArrayList<>(target.size());
        for (int c = 0; c < target.size(); c++) {
            Field<Object> column = (Field<Object>) target.get(c);
            DataType<Object> type = column.getDataType();
            Object array = Array.newInstance(column.getType(), parents.size());
            for (int i = 0; i < parents.size(); i++) {
                Object value = parents.get(i).get(source.get(c));
            // The parent's key and the foreign key may differ in type (an integer key, a bigint foreign key).
            Array.set(array, i, value == null || column.getType().isInstance(value) ? value
                    : number(value, column.getType()));
            }
            arrays.add(DSL.val(array, (DataType) type.getArrayDataType()));
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

    /** {@code value}, a number of another type, as {@code type}: the integer types and BigDecimal. */
    private static Object number(Object value, Class<?> type) {
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("a key of type " + value.getClass().getName() + " cannot be matched with"
                    + " a foreign key of type " + type.getName());
        }
        if (type == Long.class) {
            return n.longValue();
        } else if (type == Integer.class) {
            return n.intValue();
        } else if (type == Short.class) {
            return n.shortValue();
        } else if (type == java.math.BigDecimal.class) {
            return new java.math.BigDecimal(n.toString());
        } else if (type == java.math.BigInteger.class) {
            return new java.math.BigInteger(n.toString());
        }
        throw new IllegalStateException("a key of type " + value.getClass().getName() + " cannot be matched with a"
                + " foreign key of type " + type.getName());
    }

    private static List<Field<?>> columns(Table<?> table, List<? extends Field<?>> fields) {
        List<Field<?>> out = new ArrayList<>(fields.size());
        for (Field<?> f : fields) {
            out.add(Relation.column(table, f));
        }
        return out;
    }

    /** The rows of one level: its heads in order and, per member, its distinct rows (to-ones mapped once per key). */
    private static final class LevelRows {
        final Level level;
        final int[] parentIndex;
        final List<GraphRow<?>> heads = new ArrayList<>();
        private final Map<Integer, Map<Object, GraphRow<?>>> shared = new HashMap<>();

        LevelRows(Level level) {
            this.level = level;
            this.parentIndex = new int[level.members.size()];
            Map<Node, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < level.members.size(); i++) {
                Node member = level.members.get(i);
                index.put(member, i);
                parentIndex[i] = member.parent == null || i == 0 ? -1 : index.get(member.parent);
            }
        }

        GraphRow<?> shared(int member, Node node, Record row, DSLContext ctx, Assembly assembly) {
            Map<Object, GraphRow<?>> byKey = shared.computeIfAbsent(member, m -> new LinkedHashMap<>());
            Object key = node.key(row);
            GraphRow<?> b = byKey.get(key);
            if (b == null) {
                b = assembly.row(node, node.record(ctx, row));
                byKey.put(key, b);
            }
            return b;
        }

        /** The distinct rows of {@code member} in the order first read. */
        List<GraphRow<?>> of(Node member) {
            if (member == level.head) {
                return heads;
            }
            int i = level.members.indexOf(member);
            Map<Object, GraphRow<?>> byKey = shared.get(i);
            return byKey == null ? List.of() : new ArrayList<>(byKey.values());
        }
    }

    @Override
    public String toString() {
        return maxKeys == DEFAULT_MAX_KEYS ? "Strategy.perLevel()" : "Strategy.perLevel(" + maxKeys + ")";
    }
}
