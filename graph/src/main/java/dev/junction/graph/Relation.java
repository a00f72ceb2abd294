package dev.junction.graph;

import dev.junction.graph.internal.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.Internal;

/**
 * A foreign key seen from one of its two tables: from the referencing table it is a <em>to-one</em> relation (at most
 * one referenced row), from the referenced table a <em>to-many</em> relation (any number of referencing rows).
 * Generated {@code *Graph} classes hold one constant per relation; compare relations by identity.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <S> the record type of the table the relation starts from
 * @param <T> the record type of the related table
 */
public final class Relation<S extends Record, T extends Record> {

    /** How many related rows one source row can have. */
    public enum Cardinality {
        /** At most one: the source row holds the foreign key. */
        TO_ONE,
        /** Any number: the related rows hold the foreign key. */
        TO_MANY
    }

    private final String name;
    private final Cardinality cardinality;
    private final ForeignKey<?, ?> foreignKey;
    private final Table<S> source;
    private final Table<T> target;
    private final List<TableField<S, ?>> sourceFields;
    private final List<TableField<T, ?>> targetFields;

    private Relation(String name, Cardinality cardinality, ForeignKey<?, ?> foreignKey, Table<S> source,
            Table<T> target, List<TableField<S, ?>> sourceFields, List<TableField<T, ?>> targetFields) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (sourceFields.isEmpty() || sourceFields.size() != targetFields.size()) {
            throw new IllegalArgumentException("relation '" + name + "': foreign key " + foreignKey.getName()
                    + " must have as many referencing as referenced columns, but had " + sourceFields.size()
                    + " and " + targetFields.size());
        }
        this.name = name;
        this.cardinality = cardinality;
        this.foreignKey = foreignKey;
        this.source = source;
        this.target = target;
        this.sourceFields = List.copyOf(sourceFields);
        this.targetFields = List.copyOf(targetFields);
    }

    /**
     * The to-one relation from the referencing table of {@code key} to the row it references.
     *
     * @param name the relation's name in generated code, e.g. {@code user}
     * @param key the foreign key, e.g. {@code Keys.TAILOR__TAILOR_USER_ID_FKEY}
     */
    public static <S extends Record, T extends Record> Relation<S, T> toOne(String name, ForeignKey<S, T> key) {
        Objects.requireNonNull(key, "key");
        return new Relation<>(name, Cardinality.TO_ONE, key, key.getTable(), key.getKey().getTable(),
                key.getFields(), key.getKeyFields());
    }

    /**
     * The to-many relation from the referenced table of {@code key} to the rows that reference it.
     *
     * @param name the relation's name in generated code, e.g. {@code sampleWorks}
     * @param key the foreign key, e.g. {@code Keys.SAMPLE_WORK__SAMPLE_WORK_TAILOR_ID_FKEY}
     */
    public static <S extends Record, T extends Record> Relation<S, T> toMany(String name, ForeignKey<T, S> key) {
        Objects.requireNonNull(key, "key");
        return new Relation<>(name, Cardinality.TO_MANY, key, key.getKey().getTable(), key.getTable(),
                key.getKeyFields(), key.getFields());
    }

    /**
     * A foreign key the catalog does not declare: one of jOOQ's synthetic foreign keys from the codegen configuration
     * ({@code <database><syntheticObjects><foreignKeys>}). jOOQ's open-source generator does not generate those, so
     * Junction's generated graph classes create them with this; the database does not enforce them.
     *
     * @param name the key's name, e.g. {@code payment_customer_fk}
     * @param referencedKey the primary or unique key of the referenced table (for a view, its synthetic primary key)
     * @param fields the referencing columns, one per column of {@code referencedKey} and in its order
     * @throws IllegalArgumentException when {@code fields} is empty, its columns belong to more than one table, or
     *     their number differs from the referenced key's
     */
    @SuppressWarnings("unchecked")
    public static <S extends Record, T extends Record> ForeignKey<S, T> syntheticForeignKey(String name,
            UniqueKey<T> referencedKey, List<TableField<S, ?>> fields) {
        Objects.requireNonNull(referencedKey, "referencedKey");
        if (fields.isEmpty() || fields.size() != referencedKey.getFields().size()) {
            throw new IllegalArgumentException("synthetic foreign key '" + name + "' must have one column per column"
                    + " of " + referencedKey.getName() + " (" + referencedKey.getFields().size() + "), but had "
                    + fields.size());
        }
        Table<S> table = fields.get(0).getTable();
        for (TableField<S, ?> field : fields) {
            if (!field.getTable().equals(table)) {
                throw new IllegalArgumentException("synthetic foreign key '" + name + "': every column must belong"
                        + " to " + table.getName() + ", but " + field.getName() + " belongs to "
                        + field.getTable().getName());
            }
        }
        return Internal.createForeignKey(referencedKey, table, name, fields.toArray(new TableField[0]), false);
    }

    /** The relation's name as used in generated code ({@code user}, {@code sampleWorks}). */
    public String name() {
        return name;
    }

    public Cardinality cardinality() {
        return cardinality;
    }

    /** True for {@link Cardinality#TO_ONE}. */
    public boolean isToOne() {
        return cardinality == Cardinality.TO_ONE;
    }

    /** The foreign key this relation follows. */
    public ForeignKey<?, ?> foreignKey() {
        return foreignKey;
    }

    /** The table the relation starts from. */
    public Table<S> source() {
        return source;
    }

    /** The related table. */
    public Table<T> target() {
        return target;
    }

    /** The columns of {@link #source()} that take part in the join, in foreign-key order. */
    public List<TableField<S, ?>> sourceFields() {
        return sourceFields;
    }

    /** The columns of {@link #target()} that take part in the join, in foreign-key order. */
    public List<TableField<T, ?>> targetFields() {
        return targetFields;
    }

    /**
     * The join condition between a source table reference and a target table reference, each either the table itself
     * or an alias of it ({@code target.fk = source.key} column by column).
     */
    public Condition joinCondition(Table<?> sourceRef, Table<?> targetRef) {
        List<Condition> parts = new ArrayList<>(sourceFields.size());
        for (int i = 0; i < sourceFields.size(); i++) {
            parts.add(equal(Columns.column(targetRef, targetFields.get(i)),
                    Columns.column(sourceRef, sourceFields.get(i))));
        }
        return DSL.and(parts);
    }

    @SuppressWarnings("unchecked")
    private static <X> Condition equal(Field<X> left, Field<?> right) {
        return left.eq((Field<X>) right);
    }

    /** For example {@code tailor.user (to-one: tailor(user_id) -> users(id))}. */
    @Override
    public String toString() {
        String from = foreignKey.getTable().getName() + names(foreignKey.getFields());
        String to = foreignKey.getKey().getTable().getName() + names(foreignKey.getKeyFields());
        return source.getName() + "." + name + " (" + (isToOne() ? "to-one" : "to-many") + ": " + from + " -> " + to
                + ")";
    }

    private static String names(List<? extends Field<?>> fields) {
        return fields.stream().map(Field::getName).toList().toString().replace('[', '(').replace(']', ')');
    }
}
