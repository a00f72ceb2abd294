package dev.junction.graph.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * Where a key's columns are in a table, and key values as map keys that compare as SQL compares them: the strategies
 * match parents with their children and shared rows with their references by these.
 */
final class RowKeys {
    private RowKeys() {
    }

    /** The index of {@code field} in {@code table}, by field or else by name. */
    static int indexOf(Table<?> table, Field<?> field) {
        int i = table.indexOf(field);
        if (i < 0) {
            i = table.indexOf(field.getName());
        }
        if (i < 0) {
            throw new IllegalStateException("table " + table.getName() + " has no column " + field.getName());
        }
        return i;
    }

    /**
     * A map key for the columns at {@code indexes} of {@code record}: null when any is null (SQL equality never
     * matches null). Numbers are normalised so that an {@code integer} key matches a {@code bigint} foreign key and
     * {@code 1.0} matches {@code 1.00}, as they do in SQL.
     */
    static @Nullable Object key(Record record, int[] indexes) {
        if (indexes.length == 1) {
            return comparable(record.get(indexes[0]));
        }
        List<Object> parts = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            Object v = comparable(record.get(i));
            if (v == null) {
                return null;
            }
            parts.add(v);
        }
        return List.copyOf(parts);
    }

    /** One key value as a map key: integers as {@code Long}, decimals without trailing zeros (see {@link #key}). */
    static @Nullable Object comparable(@Nullable Object value) {
        if (value instanceof Long || value instanceof String || value == null) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (value instanceof BigDecimal d) {
            BigDecimal s = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            if (s.scale() <= 0 && s.precision() - s.scale() < 19) {
                return s.longValueExact();
            }
            return s;
        }
        return value;
    }
}
