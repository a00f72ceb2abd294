package dev.junction.samples.service;

import java.sql.SQLException;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import static dev.junction.samples.service.db.Tables.USERS;

/** SQL pieces both implementations share, so they answer alike. */
final class Sql {
    /**
     * The search key: the lower-case name in the "C" collation, so that one btree index (see the migration) serves
     * both the prefix {@code LIKE} and the order.
     */
    static final Field<String> NAME_KEY = DSL.lower(USERS.DISPLAY_NAME).collate(DSL.collation(DSL.name("C")));

    private Sql() {
    }

    /**
     * A {@code LIKE} pattern that matches names starting with {@code prefix} taken literally: the wildcards and the
     * escape character in it are escaped (backslash is PostgreSQL's default {@code LIKE} escape). It is a bind
     * value; lower-casing happens in SQL, with the same function as the key.
     */
    static Field<String> prefixPattern(String prefix) {
        StringBuilder escaped = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        escaped.append('%');
        return DSL.lower(DSL.val(escaped.toString())).collate(DSL.collation(DSL.name("C")));
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
