package dev.junction.graph.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.JSON;
import org.jspecify.annotations.Nullable;

/**
 * Turns the text a MULTISET level read for one column back into the value JDBC gives for that column, so nested rows
 * equal {@code selectFrom}'s: a {@code json} column becomes {@link JSON} of the text as stored (MULTISET's JSON would
 * re-serialise it), a type jOOQ does not know ({@code tsvector}, {@code inet}) becomes the driver's
 * {@code org.postgresql.util.PGobject} of that type, which is what JDBC returns for it.
 */
abstract sealed class JsonText permits JsonText.Json, JsonText.Unknown {
    /** Per field, its conversion, or null where MULTISET's JSON already yields JDBC's value. */
    static JsonText @Nullable [] of(Field<?>[] fields) {
        JsonText[] texts = new JsonText[fields.length];
        for (int i = 0; i < fields.length; i++) {
            DataType<?> type = fields[i].getDataType();
            if (type.getType() == JSON.class) {
                texts[i] = Json.INSTANCE;
            } else if (type.getType() == Object.class && !type.isArray()) {
                texts[i] = new Unknown(typeName(type.getTypeName()));
            }
        }
        return texts;
    }

    /** {@code "pg_catalog"."tsvector"} as PostgreSQL names the type to JDBC: {@code tsvector}. */
    private static String typeName(String rendered) {
        String name = rendered.substring(rendered.lastIndexOf('.') + 1);
        return name.replace("\"", "");
    }

    abstract Object value(String text);

    static final class Json extends JsonText {
        static final Json INSTANCE = new Json();

        @Override
        Object value(String text) {
            return JSON.valueOf(text);
        }
    }

    static final class Unknown extends JsonText {
        private final String type;

        Unknown(String type) {
            this.type = type;
        }

        @Override
        Object value(String text) {
            // the driver's class, found at run time: junction-graph does not depend on pgjdbc, the application does
            try {
                Class<?> pgObject = Class.forName("org.postgresql.util.PGobject", true,
                        Thread.currentThread().getContextClassLoader());
                Constructor<?> constructor = pgObject.getConstructor();
                Object object = constructor.newInstance();
                Method setType = pgObject.getMethod("setType", String.class);
                Method setValue = pgObject.getMethod("setValue", String.class);
                setType.invoke(object, type);
                setValue.invoke(object, text);
                return object;
            } catch (ReflectiveOperationException | LinkageError e) {
                return text;
            }
        }
    }
}
