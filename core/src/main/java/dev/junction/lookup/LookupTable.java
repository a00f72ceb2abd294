package dev.junction.lookup;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.RecordMapper;
import org.jooq.Table;
import org.jooq.TableField;
import org.jspecify.annotations.Nullable;

/**
 * The declaration of one lookup table: which table, which column is its key, and what each row becomes. Declare it
 * once as a constant, register it with {@link Lookups.Builder#table(LookupTable)} and read it with
 * {@link LookupCache#get(LookupTable)}; the constant carries the key and value types, so reads are typed.
 *
 * <pre>{@code
 * static final LookupTable<String, RoleRecord> ROLES = LookupTable.of(ROLE, ROLE.CODE);
 * static final LookupTable<String, Role> ROLE_VALUES = LookupTable.of(ROLE, ROLE.CODE, r -> new Role(r.getCode(), r.getLabel()));
 * }</pre>
 *
 * <p>The whole table is loaded at once ({@code select * from table order by key}); the key must be unique and not
 * null. Two declarations are equal when they name the same table and key and share the same mapper instance.
 * Immutable and thread-safe.
 *
 * @param <K> the key type (the key field's Java type)
 * @param <V> the value type: the table's record type, or what the mapper returns
 */
public final class LookupTable<K, V> {
    private final Table<?> table;
    private final Field<K> key;
    private final @Nullable RecordMapper<Record, V> mapper;
    private final List<String> nameParts;
    private final String name;

    private LookupTable(Table<?> table, Field<K> key, @Nullable RecordMapper<Record, V> mapper) {
        this.table = table;
        this.key = key;
        this.mapper = mapper;
        this.nameParts = List.copyOf(Arrays.asList(table.getQualifiedName().getName()));
        this.name = String.join(".", nameParts);
    }

    /**
     * A lookup table whose values are the table's records. Each {@link CodeTable} read returns copies, so callers
     * cannot change the cached rows; to share values without copying, use {@link #of(Table, Field, RecordMapper)}
     * with an immutable type.
     *
     * @param table a named table: a generated one, or {@code DSL.table(DSL.name("role"))}
     * @param key   the unique, not-null column values are looked up by, e.g. {@code ROLE.CODE}
     * @throws IllegalArgumentException when the table has no plain name (a plain SQL or derived table) or the key
     *                                  is a column of another table
     */
    public static <K, R extends Record> LookupTable<K, R> of(Table<R> table, Field<K> key) {
        return new LookupTable<>(checkTable(table), checkKey(table, key), null);
    }

    /**
     * A lookup table whose values are what {@code mapper} makes of each record, once per load. Values are shared
     * between callers, so map to an immutable type (a Java record, for example).
     *
     * @throws IllegalArgumentException as {@link #of(Table, Field)}
     */
    @SuppressWarnings("unchecked")
    public static <K, R extends Record, V> LookupTable<K, V> of(Table<R> table, Field<K> key,
            RecordMapper<? super R, ? extends V> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        return new LookupTable<>(checkTable(table), checkKey(table, key), (RecordMapper<Record, V>) mapper);
    }

    private static Table<?> checkTable(Table<?> table) {
        Objects.requireNonNull(table, "table");
        String[] parts = table.getQualifiedName().getName();
        if (parts.length == 0 || parts.length > 2) {
            throw new IllegalArgumentException("table must be a named table, e.g. a generated table or"
                    + " DSL.table(DSL.name(\"role\")), but was " + table);
        }
        for (String part : parts) {
            if (part.isBlank() || part.length() > 63 || part.chars().anyMatch(c -> Character.isWhitespace(c)
                    || c == '(' || c == ')' || c == ';' || c == ',' || c == '"')) {
                throw new IllegalArgumentException("table must be a named table, e.g. a generated table or"
                        + " DSL.table(DSL.name(\"role\")), but was '" + table.getQualifiedName() + "' (plain SQL"
                        + " or derived tables cannot be watched for writes)");
            }
        }
        return table;
    }

    private static <K> Field<K> checkKey(Table<?> table, Field<K> key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof TableField<?, ?> column && column.getTable() != null
                && !column.getTable().getName().equalsIgnoreCase(table.getName())) {
            throw new IllegalArgumentException("key must be a column of table '" + table.getName() + "', but '"
                    + key.getName() + "' belongs to table '" + column.getTable().getName() + "'");
        }
        return key;
    }

    /** The table. */
    public Table<?> table() {
        return table;
    }

    /** The key column. */
    public Field<K> key() {
        return key;
    }

    /**
     * The mapper from records to values, or null when the values are the records themselves (then reads return
     * copies).
     */
    public @Nullable RecordMapper<Record, V> mapper() {
        return mapper;
    }

    /**
     * The table's name as declared, unquoted, qualified when the table is: {@code public.role} or {@code role}. It
     * is the payload of the cross-instance notification, so every app instance must declare the table the same way.
     */
    public String name() {
        return name;
    }

    /** The unquoted parts of {@link #name()}: {@code [public, role]} or {@code [role]}. */
    public List<String> nameParts() {
        return nameParts;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LookupTable<?, ?> t && t.name.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
                && t.key.getName().equals(key.getName()) && t.mapper == mapper;
    }

    @Override
    public int hashCode() {
        return name.toLowerCase(Locale.ROOT).hashCode() * 31 + key.getName().hashCode();
    }

    @Override
    public String toString() {
        return "LookupTable[" + name + " by " + key.getName() + (mapper == null ? "" : ", mapped") + "]";
    }
}
