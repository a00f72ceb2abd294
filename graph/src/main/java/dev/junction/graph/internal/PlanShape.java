package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import dev.junction.graph.Relation;
import java.util.Arrays;
import java.util.List;
import org.jooq.Field;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * A query's shape, the key of the plan cache: tables, relations, the chosen columns, and which of filter, explicit
 * order, limit and offset each node sets (not their values). Tables, relations and chosen columns compare by identity:
 * generated code holds them in constants, and {@link GraphQuery#select} keeps the table's own fields.
 * Immutable.
 */
final class PlanShape {
    private final Table<?> table;
    private final @Nullable Relation<?, ?> via;
    private final int flags;
    private final List<Field<?>> selection;
    private final PlanShape[] children;
    private final int hash;

    private PlanShape(Table<?> table, @Nullable Relation<?, ?> via, int flags, List<Field<?>> selection,
            PlanShape[] children) {
        this.table = table;
        this.via = via;
        this.flags = flags;
        this.selection = selection;
        this.children = children;
        int h = System.identityHashCode(table) * 31 + System.identityHashCode(via);
        for (Field<?> f : selection) {
            h = h * 31 + System.identityHashCode(f);
        }
        this.hash = (h * 31 + flags) * 31 + Arrays.hashCode(children);
    }

    /** The shape of {@code query}; adds the query and its nested queries to {@code queries}, depth first. */
    static PlanShape of(GraphQuery<?> query, List<GraphQuery<?>> queries) {
        return of(query, null, queries);
    }

    private static PlanShape of(GraphQuery<?> query, @Nullable Relation<?, ?> via, List<GraphQuery<?>> queries) {
        queries.add(query);
        List<? extends GraphQuery.Link<?, ?>> links = query.links();
        PlanShape[] children = new PlanShape[links.size()];
        for (int i = 0; i < children.length; i++) {
            children[i] = of(links.get(i).query(), links.get(i).relation(), queries);
        }
        return new PlanShape(query.table(), via, PlanNode.flags(query), query.selection(), children);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanShape s && s.hash == hash && s.table == table && s.via == via && s.flags == flags
                && sameSelection(s.selection, selection) && Arrays.equals(s.children, children);
    }

    private static boolean sameSelection(List<Field<?>> a, List<Field<?>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
