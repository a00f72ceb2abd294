package dev.junction.graph.internal;

import dev.junction.graph.Relation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The relations fetched for every row of one table occurrence in a graph, shared by those rows, so that a
 * {@link dev.junction.graph.GraphRow} holds only its values and its fetched set is not copied per row. Immutable.
 */
public final class RowLayout {
    private final Relation<?, ?>[] relations;
    private final Set<Relation<?, ?>> fetched;

    /** The layout of rows whose value slots hold {@code relations}, in this order. */
    public RowLayout(List<? extends Relation<?, ?>> relations) {
        this.relations = relations.toArray(Relation<?, ?>[]::new);
        this.fetched = Set.copyOf(new LinkedHashSet<>(relations));
    }

    /** The slot of {@code relation} (compared by identity), or -1 when it was not fetched. */
    public int indexOf(Relation<?, ?> relation) {
        for (int i = 0; i < relations.length; i++) {
            if (relations[i] == relation) {
                return i;
            }
        }
        return -1;
    }

    /** The fetched relations, an unmodifiable set. */
    public Set<Relation<?, ?>> fetched() {
        return fetched;
    }
}
