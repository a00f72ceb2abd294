package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;

/**
 * The rows of one fetch while they are assembled: creates each {@link GraphRow} with its relation slots, and at
 * the end turns the to-many slots into unmodifiable lists. A row shared by several parents (a to-one target) is
 * one GraphRow referenced by all of them. The columns a projection did not choose but the graph is stitched by are
 * cleared from the records when the graph is complete, so records hold exactly the chosen columns.
 */
final class Assembly {
    private final List<GraphRow<?>> open = new ArrayList<>();
    /**
     * The records holding columns read only to stitch the graph (keys not chosen by a projection), with their nodes:
     * the strategies match rows by them until the graph is complete, then they are cleared.
     */
    private final List<Record> stitched = new ArrayList<>();
    private final List<PlanNode> stitchedNodes = new ArrayList<>();

    GraphRow<?> row(PlanNode node, Record record) {
        GraphRow<?> row = GraphRows.assembling(record, node.layout(), node.toManyChildren());
        if (node.hasToMany) {
            open.add(row);
        }
        if (node.hidden.length > 0) {
            stitched.add(record);
            stitchedNodes.add(node);
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
        for (int i = 0; i < stitched.size(); i++) {
            stitchedNodes.get(i).clearHidden(stitched.get(i));
        }
        return (List<GraphRow<R>>) (List<?>) roots;
    }
}
