package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.GraphRow;
import dev.junction.graph.Relation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Reads a whole graph with one statement: the root select carries one correlated {@code MULTISET} subquery per
 * relation, nested as deep as the query, each mapped back with {@code convertFrom}. A nested table that already
 * appears in an enclosing scope (a self-reference) is aliased so its correlation stays unambiguous.
 */
final class MultisetStrategy extends BuiltInStrategy {
    static final MultisetStrategy INSTANCE = new MultisetStrategy();
    private static final String FIELD_ALIAS = "junction_r";

    private MultisetStrategy() {
    }

    @Override
    public String name() {
        return "multiset";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return plan.derived("multiset: unsupported", p -> Optional.ofNullable(problem(p))).orElse(null);
    }

    /** Why MULTISET cannot read {@code plan}'s shape, or null: a filtered or ordered self-reference. */
    private static @Nullable String problem(GraphPlan plan) {
        for (PlanNode node : plan.nodes) {
            if (node.refersToTable()) {
                for (PlanNode up = node.parent; up != null; up = up.parent) {
                    if (up.table.getQualifiedName().equals(node.table.getQualifiedName())) {
                        return "relation '" + node + "' leads back to " + node.table.getName() + ", which is already"
                                + " in scope, so its rows are read through an alias; its nested query cannot use"
                                + " where(...) or orderBy(...) written against " + node.table.getName() + " itself;"
                                + " filter or order the enclosing query instead";
                    }
                }
            }
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        GraphQuery<R> query = (GraphQuery<R>) bound.root();
        Planner planner = new Planner(ctx);
        Table<R> root = query.table();
        Set<Name> scope = new HashSet<>();
        scope.add(root.getQualifiedName());
        Level<R> level = planner.level(query, root, scope, false);
        Select<Record> select = planner.select(query, root, level, query.where(), true);
        Result<Record> result = ctx.fetch(select);
        List<GraphRow<R>> rows = new ArrayList<>(result.size());
        for (Record record : result) {
            rows.add(level.read(record));
        }
        return new Outcome<>(rows, 1, 1, result.size());
    }

    @Override
    public String toString() {
        return "Strategy.multiset()";
    }

    /** Builds the nested selects of one query; hands out unique aliases. */
    private static final class Planner {
        private final DSLContext ctx;
        private int aliases;

        Planner(DSLContext ctx) {
            this.ctx = ctx;
        }

        <R extends Record> Level<R> level(GraphQuery<R> query, Table<R> reference, Set<Name> scope,
                boolean nested) {
            List<Part<R, ?>> parts = new ArrayList<>(query.links().size());
            for (GraphQuery.Link<R, ?> link : query.links()) {
                parts.add(part(link, reference, scope));
            }
            return new Level<>(ctx, query, reference, parts, nested);
        }

        private <R extends Record, T extends Record> Part<R, T> part(GraphQuery.Link<R, T> link, Table<R> parent,
                Set<Name> scope) {
            Relation<R, T> relation = link.relation();
            GraphQuery<T> nested = link.query();
            Table<T> target = nested.table();
            Table<T> reference = target;
            Set<Name> inner = new HashSet<>(scope);
            if (scope.contains(target.getQualifiedName())) {
                if (nested.refersToTable()) {
                    throw new IllegalArgumentException("relation " + relation + " leads back to "
                            + target.getName() + ", which is already in scope, so its rows are read through an alias;"
                            + " its nested query cannot use where(...) or orderBy(...) written against "
                            + target.getName() + " itself; filter or order the enclosing query instead");
                }
                reference = target.as(GraphPlan.TABLE_ALIAS + (++aliases));
            } else {
                inner.add(target.getQualifiedName());
            }
            Level<T> level = level(nested, reference, inner, true);
            Condition correlation = relation.joinCondition(parent, reference);
            Condition where = nested.where() == null ? correlation : correlation.and(nested.where());
            Field<List<GraphRow<T>>> field = DSL.multiset(select(nested, reference, level, where,
                            !relation.isToOne()))
                    .convertFrom(result -> level.readAll(result))
                    .as(FIELD_ALIAS + (++aliases));
            return new Part<>(relation, field);
        }

        /** The select of one level; {@code ordered} is false for to-one levels, which read at most one row. */
        <R extends Record> Select<Record> select(GraphQuery<R> query, Table<R> reference, Level<R> level,
                @Nullable Condition where, boolean ordered) {
            SelectLimitStep<Record> select = DSL.select(level.selectFields()).from(reference)
                    .where(where == null ? DSL.noCondition() : where)
                    .orderBy(ordered ? order(query, reference) : List.of());
            int limit = query.limit().orElse(-1);
            int offset = query.offset().orElse(-1);
            if (limit >= 0 && offset >= 0) {
                return select.limit(limit).offset(offset);
            } else if (limit >= 0) {
                return select.limit(limit);
            } else if (offset >= 0) {
                return select.offset(offset);
            }
            return select;
        }

        private static List<OrderField<?>> order(GraphQuery<?> query, Table<?> reference) {
            if (!query.orderBy().isEmpty()) {
                return SqlTemplate.distinct(query.orderBy(), List.of());
            }
            UniqueKey<?> pk = query.table().getPrimaryKey();
            if (pk == null) {
                return List.of();
            }
            List<OrderField<?>> order = new ArrayList<>();
            for (TableField<?, ?> f : pk.getFields()) {
                order.add(Columns.column(reference, f));
            }
            return order;
        }
    }

    /** One relation of a level: the relation and the MULTISET field that reads it. */
    private record Part<R extends Record, T extends Record>(Relation<R, T> relation,
            Field<List<GraphRow<T>>> field) {
    }

    /**
     * One table of the graph: its chosen columns (all by default) come first in the select list, then one field per
     * relation. MULTISET correlates each nested level with its parent in SQL, so no key is read that was not chosen.
     */
    private static final class Level<R extends Record> {
        private final DSLContext ctx;
        private final Table<R> table;
        private final Table<R> reference;
        /** The chosen columns of the table (its own fields), in table order. */
        private final Field<?>[] columns;
        private final int width;
        private final List<Part<R, ?>> parts;
        private final RowLayout layout;
        /** Per column, how a nested level's JSON text becomes the value JDBC would give, or null to take it as is. */
        private final JsonText @Nullable [] texts;

        Level(DSLContext ctx, GraphQuery<R> query, Table<R> reference, List<Part<R, ?>> parts, boolean nested) {
            this.ctx = ctx;
            this.table = query.table();
            this.columns = query.selection().isEmpty() ? table.fields()
                    : query.selection().toArray(Field<?>[]::new);
            this.texts = nested ? JsonText.of(columns) : null;
            this.reference = reference;
            this.width = columns.length;
            this.parts = parts;
            List<Relation<?, ?>> relations = new ArrayList<>(parts.size());
            parts.forEach(p -> relations.add(p.relation()));
            this.layout = new RowLayout(relations);
        }

        List<SelectField<?>> selectFields() {
            List<SelectField<?>> fields = new ArrayList<>(width + parts.size());
            for (int i = 0; i < width; i++) {
                Field<?> column = Columns.column(reference, columns[i]);
                // MULTISET carries nested rows as JSON: a json column would come back re-serialised (whitespace and
                // key order lost), so it is read as its text; a type jOOQ does not know (tsvector, inet) arrives as
                // its output text already (a cast to text would differ: inet's text() adds the netmask), and
                // JsonText wraps it as JDBC's object
                fields.add(texts != null && texts[i] instanceof JsonText.Json
                        ? column.cast(SQLDataType.VARCHAR).as(column.getUnqualifiedName()) : column);
            }
            for (Part<R, ?> part : parts) {
                fields.add(part.field());
            }
            return fields;
        }

        List<GraphRow<R>> readAll(Result<Record> result) {
            Object[] rows = new Object[result.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = read(result.get(i));
            }
            @SuppressWarnings("unchecked")
            List<GraphRow<R>> list = (List<GraphRow<R>>) (List<?>) List.of(rows);
            return list;
        }

        @SuppressWarnings("unchecked")
        GraphRow<R> read(Record source) {
            R record = ctx.newRecord(table);
            Field<?>[] fields = columns;
            for (int i = 0; i < width; i++) {
                Object value = source.get(i);
                if (texts != null && texts[i] != null && value != null) {
                    value = texts[i].value(value.toString());
                }
                record.set((Field<Object>) fields[i], value);
            }
            record.touched(false);
            Object[] values = new Object[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                Relation<R, ?> relation = parts.get(i).relation();
                List<?> children = (List<?>) source.get(width + i);
                if (children == null) {
                    children = List.of();
                }
                if (relation.isToOne()) {
                    if (children.size() > 1) {
                        throw new IllegalStateException("relation " + relation + " is to-one but matched "
                                + children.size() + " rows; its foreign key must reference a unique key");
                    }
                    values[i] = children.isEmpty() ? null : children.get(0);
                } else {
                    values[i] = children;
                }
            }
            return GraphRows.trusted(record, layout, values);
        }
    }
}
