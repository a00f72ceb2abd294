package dev.junction.codegen.internal;

import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * Applies the migrations of one codegen run with Flyway, and turns Flyway's failure into a message that says what a
 * codegen user can do about it: which migration failed and why (Flyway's own report, without its advice to rerun
 * Flyway with {@code -X}, which does not apply here), and, when the server refused a privilege, which role ran the
 * migrations and the option that changes it.
 */
public final class Migrations {
    /** SQLSTATE {@code insufficient_privilege}. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Migrations() {
    }

    /** A migration failed; the message says which, why and what to do, the cause is Flyway's exception. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Applies every migration of {@code locations}.
     *
     * @param role what the migrations ran as, for the message: e.g. "role 'postgres' (the superuser)"
     * @param roleHint how to run them as the other role, for the message
     * @throws Failure naming the locations, Flyway's report and what to do, with Flyway's exception as cause
     */
    public static void apply(String url, String user, String password, MigrationLocations locations,
            Map<String, String> placeholders, ClassLoader loader, String role, String roleHint) {
        try {
            Flyway.configure(loader)
                    .dataSource(url, user, password)
                    .locations(locations.flywayLocations().toArray(String[]::new))
                    .placeholders(placeholders)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            String report = withoutRerunAdvice(e.getMessage());
            String where = "junction codegen: Flyway could not apply the migrations in " + describe(locations);
            if (INSUFFICIENT_PRIVILEGE.equals(sqlState(e))) {
                throw new Failure(where + " (" + report + "); the migration ran as " + role + ", which lacks"
                        + " that privilege: " + roleHint, e);
            }
            throw new Failure(where + " (" + report + "); fix the migration named above and run again", e);
        }
    }

    private static String describe(MigrationLocations locations) {
        return locations.flywayLocations().stream()
                .map(l -> "'" + (l.startsWith("filesystem:") ? l.substring("filesystem:".length()) : l) + "'")
                .collect(Collectors.joining(", "));
    }

    /** Flyway's report without the lines that advise rerunning Flyway with -X (codegen has no such switch). */
    static String withoutRerunAdvice(@Nullable String message) {
        if (message == null) {
            return "no message";
        }
        return message.lines()
                .filter(line -> !line.contains("-X"))
                .collect(Collectors.joining("\n"))
                .strip();
    }

    private static @Nullable String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
