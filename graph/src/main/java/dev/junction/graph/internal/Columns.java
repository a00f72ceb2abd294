package dev.junction.graph.internal;

import org.jooq.Field;
import org.jooq.Table;

/** A table's column as read through one reference to it: the table itself, an alias or a derived table. */
public final class Columns {
    private Columns() {
    }

    /**
     * {@code field} of the table behind {@code reference}, qualified by {@code reference}.
     *
     * @throws IllegalStateException when {@code reference} has no such column
     */
    public static Field<?> column(Table<?> reference, Field<?> field) {
        Field<?> f = reference.field(field);
        if (f == null) {
            throw new IllegalStateException("table reference " + reference + " has no column " + field.getName());
        }
        return f;
    }
}
