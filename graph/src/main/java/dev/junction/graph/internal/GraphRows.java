package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * How Junction's strategies build {@link GraphRow}s in place: a row is created before its relations are read and
 * filled as their rows arrive (one shared row referenced by several parents, to-many lists that grow), which
 * {@link GraphRow#of}, copying and checking everything, does not allow. {@code GraphRow} keeps its constructor and
 * value slots private and hands them to this class, once, through {@link #install} when it is initialised.
 */
public final class GraphRows {
    /** What {@link GraphRow} lets its package's neighbour do. */
    public interface Access {
        /** A row over {@code values}, which is not copied: its slots follow {@code layout}. */
        <R extends Record> GraphRow<R> create(R record, RowLayout layout, @Nullable Object[] values);

        /** The row's value slots themselves (not a copy). */
        @Nullable Object[] values(GraphRow<?> row);
    }

    private static @Nullable Access installed;

    private GraphRows() {
    }

    /**
     * Called by {@link GraphRow}'s static initialiser, and by nothing else.
     *
     * @throws IllegalStateException when an access is already installed
     */
    public static synchronized void install(Access access) {
        if (installed != null) {
            throw new IllegalStateException("GraphRow's access is installed once, by GraphRow itself");
        }
        installed = access;
    }

    /** Holds the access once {@link GraphRow} is initialised, as a constant the JIT can fold. */
    private static final class Holder {
        static final Access ACCESS = load();

        private static Access load() {
            try {
                // Initialises GraphRow, whose static initialiser installs the access.
                Class.forName(GraphRow.class.getName(), true, GraphRow.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            synchronized (GraphRows.class) {
                Access access = installed;
                if (access == null) {
                    throw new IllegalStateException("GraphRow did not install its access");
                }
                return access;
            }
        }
    }

    /**
     * A row from values already in {@code layout}'s order and of the right kinds: to-one values are GraphRows or
     * null, to-many values unmodifiable lists without nulls. The array is not copied.
     */
    static <R extends Record> GraphRow<R> trusted(R record, RowLayout layout, @Nullable Object[] values) {
        return Holder.ACCESS.create(record, layout, values);
    }

    /** A row being assembled: to-one slots null, to-many slots empty ArrayLists until {@link #freeze}. */
    static <R extends Record> GraphRow<R> assembling(R record, RowLayout layout, boolean[] toMany) {
        Object[] values = new Object[toMany.length];
        for (int i = 0; i < values.length; i++) {
            if (toMany[i]) {
                values[i] = new ArrayList<GraphRow<?>>(4);
            }
        }
        return Holder.ACCESS.create(record, layout, values);
    }

    /** The slots of a row being assembled. */
    static @Nullable Object[] values(GraphRow<?> row) {
        return Holder.ACCESS.values(row);
    }

    /** Turns the to-many slots filled during assembly into unmodifiable lists. */
    static void freeze(GraphRow<?> row) {
        Object[] values = Holder.ACCESS.values(row);
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof ArrayList<?> list) {
                values[i] = list.isEmpty() ? List.of() : List.of(list.toArray());
            }
        }
    }
}
