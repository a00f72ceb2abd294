package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;

/**
 * The rows of one fetch while they are assembled: creates each {@link GraphRow} with its relation slots, and at
 * the end turns the to-many slots into unmodifiable lists. A row shared by several parents (a to-one target) is
 * one GraphRow referenced by all of them.
 */
final class Assembly {
    private final List<GraphRow<?>> open = new ArrayList<>();

    GraphRow<?> row(PlanNode node, Record record) {
        GraphRow<?> row = GraphRows.assembling(record, node.layout(), node.toManyChildren());
        if (node.hasToMany) {
            open.add(row);
        }
        return row;
    }

    static void one(GraphRow<?> parent, PlanNode child, GraphRow<?> target) {
        GraphRows.values(parent)[child.position] = target;
    }

    @SuppressWarnings("unchecked")
    static void add(GraphRow<?> parent, PlanNode child, GraphRow<?> row) {
        ((List<GraphRow<?>>) GraphRows.values(parent)[child.position]).add(row);
    }

    @SuppressWarnings("unchecked")
    <R extends Record> List<GraphRow<R>> finish(List<GraphRow<?>> roots) {
        for (GraphRow<?> row : open) {
            GraphRows.freeze(row);
        }
        return (List<GraphRow<R>>) (List<?>) roots;
    }
}
