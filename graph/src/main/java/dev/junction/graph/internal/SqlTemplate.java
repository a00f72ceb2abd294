package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectLimitStep;
import org.jooq.impl.CustomQueryPart;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * One statement of a graph fetch, rendered once per plan: the SQL text cut at the places where a fetch's own values
 * go (its filters, explicit orders, limits, offsets and parent keys). Binding a fetch to it renders only those parts
 * and appends the text between them unchanged, so a fetch does not build or render the statement again; the result
 * is an ordinary jOOQ query part, executed through jOOQ like any other (listeners see every statement).
 *
 * <p>Built with a {@link Builder}: the strategy builds its jOOQ select with the builder's markers in place of values,
 * and the builder renders it and cuts the text at the markers. Immutable.
 */
final class SqlTemplate {
    /** What a fetch puts in a slot. */
    enum Kind {
        /** The node's filter. */
        WHERE,
        /** The node's explicit order, comma separated. */
        ORDER,
        /** The node's limit. */
        LIMIT,
        /** The node's offset. */
        OFFSET,
        /** The node's offset, or 0: rows numbered above it are read (a per-parent window). */
        WINDOW_FROM,
        /** The node's offset plus limit: rows numbered up to it are read (a per-parent window). */
        WINDOW_TO,
        /** The parent keys of one statement, one array per key column ({@code column} is its index). */
        KEYS
    }

    /** One place in the text where a fetch's value goes. */
    record Slot(Kind kind, int node, int column) {
    }

    /** Delimits a marker in the rendered skeleton: PostgreSQL allows no NUL in names or literals. */
    private static final char MARK = '\0';

    private final String[] chunks;
    private final Slot[] slots;

    private SqlTemplate(String[] chunks, Slot[] slots) {
        this.chunks = chunks;
        this.slots = slots;
    }

    /** Several statements as one text, {@code separator} between them: sent together, they cost one round trip. */
    static SqlTemplate concat(List<SqlTemplate> templates, String separator) {
        List<String> chunks = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        StringBuilder open = new StringBuilder();
        for (int t = 0; t < templates.size(); t++) {
            SqlTemplate template = templates.get(t);
            if (t > 0) {
                open.append(separator);
            }
            open.append(template.chunks[0]);
            for (int i = 0; i < template.slots.length; i++) {
                chunks.add(open.toString());
                slots.add(template.slots[i]);
                open.setLength(0);
                open.append(template.chunks[i + 1]);
            }
        }
        chunks.add(open.toString());
        return new SqlTemplate(chunks.toArray(String[]::new), slots.toArray(Slot[]::new));
    }

    /** The statement with {@code bound}'s values and, for {@link Kind#KEYS}, {@code keys} (one per key column). */
    QueryPart bind(Bound bound, Field<?> @Nullable [] keys) {
        QueryPart[] parts = new QueryPart[slots.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = part(slots[i], bound, keys);
        }
        String[] text = chunks;
        return CustomQueryPart.of(c -> {
            for (int i = 0; i < parts.length; i++) {
                c.sql(text[i], true).visit(parts[i]);
            }
            c.sql(text[parts.length], true);
        });
    }

    private static QueryPart part(Slot slot, Bound bound, Field<?> @Nullable [] keys) {
        if (slot.kind() == Kind.KEYS) {
            if (keys == null) {
                throw new IllegalStateException("the statement reads by parent keys, but none were given");
            }
            return keys[slot.column()];
        }
        GraphQuery<?> q = bound.queries()[slot.node()];
        return switch (slot.kind()) {
            case WHERE -> {
                Condition where = q.where();
                if (where == null) {
                    throw new IllegalStateException("the plan expects a filter on " + q.table().getName());
                }
                yield where;
            }
            case ORDER -> {
                List<OrderField<?>> order = q.orderBy();
                yield CustomQueryPart.of(c -> {
                    for (int i = 0; i < order.size(); i++) {
                        if (i > 0) {
                            c.sql(", ");
                        }
                        c.visit(order.get(i));
                    }
                });
            }
            case LIMIT -> DSL.val(required(q.limit(), "limit", q), SQLDataType.INTEGER);
            case OFFSET -> DSL.val(required(q.offset(), "offset", q), SQLDataType.INTEGER);
            case WINDOW_FROM -> DSL.val(q.offset().orElse(0), SQLDataType.INTEGER);
            case WINDOW_TO -> DSL.val(q.offset().orElse(0) + required(q.limit(), "limit", q), SQLDataType.INTEGER);
            case KEYS -> throw new IllegalStateException("handled above");
        };
    }

    private static int required(OptionalInt value, String what, GraphQuery<?> q) {
        if (value.isEmpty()) {
            throw new IllegalStateException("the plan expects a " + what + " on " + q.table().getName());
        }
        return value.getAsInt();
    }

    /**
     * Hands out markers for a skeleton, then renders it into a template. A marker spells out its slot, so parts of
     * one statement's skeleton may be reused in another's (a subquery that repeats a level's selection).
     */
    static final class Builder {
        private static String marker(Slot slot) {
            return MARK + slot.kind().name() + ':' + slot.node() + ':' + slot.column() + MARK;
        }

        private static Slot slot(String marker) {
            String[] parts = marker.split(":");
            return new Slot(Kind.valueOf(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }

        /** A field standing for the slot's value. */
        <T> Field<T> field(Slot slot, DataType<T> type) {
            return DSL.field(DSL.sql(marker(slot)), type);
        }

        /** An integer field for a limit, offset or window bound. */
        Field<Integer> number(Kind kind, int node) {
            return field(new Slot(kind, node, 0), SQLDataType.INTEGER);
        }

        /** A condition standing for the node's filter. */
        Condition where(int node) {
            return DSL.condition(DSL.sql(marker(new Slot(Kind.WHERE, node, 0))));
        }

        /** An order item standing for the node's explicit order (all of its fields). */
        OrderField<?> order(int node) {
            return DSL.field(DSL.sql(marker(new Slot(Kind.ORDER, node, 0))));
        }

        /** {@code select} with {@code node}'s limit and offset, when its query sets them, as slots. */
        Select<Record> limited(SelectLimitStep<Record> select, PlanNode node) {
            boolean limit = node.has(PlanNode.LIMIT);
            boolean offset = node.has(PlanNode.OFFSET);
            if (limit && offset) {
                return select.limit(number(Kind.LIMIT, node.id)).offset(number(Kind.OFFSET, node.id));
            } else if (limit) {
                return select.limit(number(Kind.LIMIT, node.id));
            } else if (offset) {
                return select.offset(number(Kind.OFFSET, node.id));
            }
            return select;
        }

        /** A field standing for the array of parent keys of key column {@code column}. */
        <T> Field<T> keys(int column, DataType<T> arrayType) {
            return field(new Slot(Kind.KEYS, -1, column), arrayType);
        }

        /** Renders {@code skeleton} with {@code ctx}'s settings and cuts it at the markers. */
        SqlTemplate render(DSLContext ctx, QueryPart skeleton) {
            String sql = ctx.render(skeleton);
            List<String> chunks = new ArrayList<>();
            List<Slot> at = new ArrayList<>();
            int from = 0;
            for (int open = sql.indexOf(MARK); open >= 0; open = sql.indexOf(MARK, from)) {
                int close = sql.indexOf(MARK, open + 1);
                if (close < 0) {
                    throw new IllegalStateException("unterminated marker in the rendered statement");
                }
                chunks.add(sql.substring(from, open));
                at.add(slot(sql.substring(open + 1, close)));
                from = close + 1;
            }
            chunks.add(sql.substring(from));
            return new SqlTemplate(chunks.toArray(String[]::new), at.toArray(Slot[]::new));
        }
    }

    /** The statement's text with {@code ?} for every slot, for tests and diagnostics. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(chunks[0]);
        for (int i = 0; i < slots.length; i++) {
            s.append('{').append(slots[i].kind()).append('}').append(chunks[i + 1]);
        }
        return s.toString();
    }
}
