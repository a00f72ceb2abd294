package dev.junction.samples.service;

import static dev.junction.samples.service.db.Tables.USERS;

import java.sql.SQLException;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** SQL pieces both implementations share, so they answer alike. */
final class Sql {
    /**
     * The search key: the lower-case name in the "C" collation, so that one btree index (see the migration) serves
     * both the prefix {@code LIKE} and the order.
     */
    static final Field<String> NAME_KEY = DSL.lower(USERS.DISPLAY_NAME).collate(DSL.collation(DSL.name("C")));

    private Sql() {
    }

    /** The largest code point, U+10FFFF: sorts after every other character in the "C" collation. */
    private static final String LAST = new String(Character.toChars(Character.MAX_CODE_POINT));

    /**
     * Names that start with {@code prefix}, case-insensitively, taken literally: {@code %}, {@code _} and the escape
     * character match themselves. The prefix travels as a bind value; lower-casing happens in SQL, with the same
     * function as the key.
     *
     * <p>The {@code LIKE} alone decides the result, but a prepared statement's generic plan cannot derive an index
     * range from a {@code LIKE} parameter; without one it scans the index from the start and, with a graph fetch,
     * evaluates the nested relations of far more rows. The range {@code [lower(prefix), lower(prefix) || U+10FFFF)}
     * gives every plan the range. (A name continuing its prefix with U+10FFFF itself, a noncharacter, is not found.)
     */
    static Condition startsWith(String prefix) {
        StringBuilder escaped = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                escaped.append('\\'); // backslash is PostgreSQL's default LIKE escape
            }
            escaped.append(c);
        }
        escaped.append('%');
        Field<String> low = c(DSL.lower(DSL.val(prefix)));
        return NAME_KEY.like(c(DSL.lower(DSL.val(escaped.toString()))))
                .and(NAME_KEY.ge(low))
                .and(NAME_KEY.lt(c(DSL.concat(low, DSL.inline(LAST)))));
    }

    private static Field<String> c(Field<String> field) {
        return field.collate(DSL.collation(DSL.name("C")));
    }

    /** The SQLState of a jOOQ exception, or null. */
    static @Nullable String sqlState(DataAccessException e) {
        return e.sqlState();
    }

    /** The name of the constraint a server error names, or null. */
    static @Nullable String constraint(DataAccessException e) {
        SQLException cause = e.getCause(SQLException.class);
        if (cause instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return m == null ? null : m.getConstraint();
        }
        return null;
    }

    /**
     * Turns constraint violations of a sign-up into client errors: a taken e-mail address (409), a group that does
     * not exist (404), a code that does not exist (400). Anything else is rethrown.
     */
    static RuntimeException signupFailure(DataAccessException e) {
        String state = e.sqlState();
        String constraint = constraint(e);
        if ("23505".equals(state) && "users_email_key".equals(constraint)) {
            return DirectoryException.conflict("email is already registered");
        }
        if ("23503".equals(state) && "membership_group_id_fkey".equals(constraint)) {
            return DirectoryException.notFound("group not found");
        }
        if ("23503".equals(state) && constraint != null && constraint.startsWith("users_")) {
            return DirectoryException.invalid("country or language is not a known code");
        }
        return e;
    }
}
