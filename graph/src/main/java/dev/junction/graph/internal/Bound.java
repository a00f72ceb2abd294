package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;
import java.util.OptionalInt;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.QOM;

/**
 * A plan and one fetch's queries, indexed like {@link GraphPlan#nodes}: where the fetch's values come from.
 *
 * @param plan the plan of the queries' shape
 * @param queries the root query and its nested queries, by node id
 */
record Bound(GraphPlan plan, GraphQuery<?>[] queries) {
    GraphQuery<?> query(PlanNode node) {
        return queries[node.id];
    }

    GraphQuery<?> root() {
        return queries[0];
    }

    /**
     * The most roots this fetch can read, when the root query's limit tells or its filter is on a one-column primary
     * key ({@code ID.eq(x)}, {@code ID.in(a, b, c)}); otherwise empty.
     */
    OptionalInt maxRoots() {
        GraphQuery<?> query = root();
        int byLimit = query.limit().orElse(Integer.MAX_VALUE);
        int byKey = Integer.MAX_VALUE;
        Condition where = query.where();
        UniqueKey<?> pk = query.table().getPrimaryKey();
        if (where != null && pk != null && pk.getFields().size() == 1) {
            byKey = byKey(where, pk.getFields().get(0));
        }
        int most = Math.min(byLimit, byKey);
        return most == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(most);
    }

    private static int byKey(Condition condition, TableField<?, ?> pk) {
        if (condition instanceof QOM.Eq<?> eq && isKey(eq.$arg1(), pk) && eq.$arg2() instanceof Param<?>) {
            return 1;
        }
        if (condition instanceof QOM.InList<?> in && isKey(in.$arg1(), pk)) {
            return in.$arg2().size();
        }
        if (condition instanceof QOM.And and) {
            return Math.min(byKey(and.$arg1(), pk), byKey(and.$arg2(), pk));
        }
        return Integer.MAX_VALUE;
    }

    private static boolean isKey(Field<?> field, TableField<?, ?> pk) {
        return field.equals(pk);
    }
}
