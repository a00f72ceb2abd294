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
import org.jooq.impl.DSL;

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
