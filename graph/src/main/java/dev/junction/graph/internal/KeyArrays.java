package dev.junction.graph.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;

/**
 * The parent keys of a per-level statement as one array parameter per key column ({@code fk = ANY(?)}).
 *
 * <p>For keys of type {@code Long}, {@code Integer}, {@code Short} and {@code String} the array is bound with its
 * SQL type ({@code setObject} with the Java array, which pgJDBC sends as {@code int8[]} and so on), not as jOOQ binds
 * arrays on PostgreSQL (a string of unspecified type). This is what lets a snapshot's {@code COMMIT} travel in the
 * same round trip as the last statement: for a parameter of unspecified type pgJDBC first asks the server to describe
 * the prepared statement, and for a described statement whose rows have no bounded size it refuses to queue another
 * statement behind it (its guard against filling both socket buffers), which costs the COMMIT a round trip of its
 * own. Other key types keep jOOQ's binding.
 */
final class KeyArrays {
    private static final Set<Class<?>> TYPED = Set.of(Long.class, Integer.class, Short.class, String.class);

    private KeyArrays() {
    }

    /** The data type to bind an array of {@code column}'s values with. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static DataType<Object[]> arrayType(Field<?> column) {
        DataType<Object[]> plain = (DataType) column.getDataType().getArrayDataType();
        if (!TYPED.contains(column.getType())) {
            return plain;
        }
        return plain.asConvertedDataType(new TypedBinding<>(plain));
    }

    /**
     * One array per key column of {@code target} (the foreign key's columns), each holding the parents' values at the
     * matching {@code source} index, converted to the foreign key's type.
     */
    static Field<?>[] of(List<? extends Field<?>> target, int[] source, DataType<Object[]>[] types,
            List<Record> parents) {
        Field<?>[] arrays = new Field<?>[target.size()];
        for (int c = 0; c < arrays.length; c++) {
            Class<?> type = target.get(c).getType();
            Object[] array = (Object[]) Array.newInstance(type, parents.size());
            int from = source[c];
            for (int i = 0; i < array.length; i++) {
                Object value = parents.get(i).get(from);
                // The parent's key and the foreign key may differ in type (an integer key, a bigint foreign key).
                array[i] = value == null || type.isInstance(value) ? value : number(value, type);
            }
            arrays[c] = DSL.val(array, types[c]);
        }
        return arrays;
    }

    /** {@code value}, a number of another type, as {@code type}: the integer types and BigDecimal. */
    private static Object number(Object value, Class<?> type) {
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("a key of type " + value.getClass().getName() + " cannot be matched with"
                    + " a foreign key of type " + type.getName());
        }
        if (type == Long.class) {
            return n.longValue();
        } else if (type == Integer.class) {
            return n.intValue();
        } else if (type == Short.class) {
            return n.shortValue();
        } else if (type == BigDecimal.class) {
            return new BigDecimal(n.toString());
        } else if (type == BigInteger.class) {
            return new BigInteger(n.toString());
        }
        throw new IllegalStateException("a key of type " + value.getClass().getName() + " cannot be matched with a"
                + " foreign key of type " + type.getName());
    }

    /** Renders {@code cast(? as T[])} and binds the Java array itself. Bind only: key arrays are never read. */
    private static final class TypedBinding<A> implements Binding<A[], A[]> {
        private final DataType<A[]> plain;
        private final Converter<A[], A[]> converter;

        TypedBinding(DataType<A[]> plain) {
            this.plain = plain;
            this.converter = Converter.ofNullable(plain.getType(), plain.getType(), a -> a, a -> a);
        }

        @Override
        public Converter<A[], A[]> converter() {
            return converter;
        }

        @Override
        public void sql(BindingSQLContext<A[]> ctx) {
            if (ctx.render().paramType() == ParamType.INLINED) {
                ctx.render().visit(DSL.inline(ctx.value(), plain));
            } else {
                ctx.render().sql("cast(").sql(ctx.variable()).sql(" as ")
                        .sql(plain.getCastTypeName(ctx.render().configuration())).sql(')');
            }
        }

        @Override
        public void register(BindingRegisterContext<A[]> ctx) throws SQLException {
            ctx.statement().registerOutParameter(ctx.index(), Types.ARRAY);
        }

        @Override
        public void set(BindingSetStatementContext<A[]> ctx) throws SQLException {
            A[] value = ctx.value();
            if (value == null) {
                ctx.statement().setNull(ctx.index(), Types.ARRAY);
            } else {
                ctx.statement().setObject(ctx.index(), value);
            }
        }

        @Override
        public void set(BindingSetSQLOutputContext<A[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("graph fetch key arrays are statement parameters only");
        }

        @Override
        public void get(BindingGetResultSetContext<A[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("graph fetch key arrays are statement parameters only");
        }

        @Override
        public void get(BindingGetStatementContext<A[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("graph fetch key arrays are statement parameters only");
        }

        @Override
        public void get(BindingGetSQLInputContext<A[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("graph fetch key arrays are statement parameters only");
        }
    }
}
