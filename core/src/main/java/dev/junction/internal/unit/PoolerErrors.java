package dev.junction.internal.unit;

import dev.junction.ConfigurationException;
import dev.junction.spi.SqlFailures;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Recognises the errors a transaction-mode connection pooler (PgBouncer) causes when pgJDBC still uses server-side
 * prepared statements: a statement pgJDBC prepared as {@code S_1} in one server session is missing in the session the
 * pooler lends next (26000), or another client already prepared an {@code S_1} there (42P05). Only pgJDBC's own
 * statement names match, so an application's {@code EXECUTE} of an unknown statement is left alone.
 */
final class PoolerErrors {
    private static final Pattern DRIVER_STATEMENT = Pattern.compile(
            "prepared statement \"S_\\d+\" (does not exist|already exists)");

    private PoolerErrors() {
    }

    /** The clear error for a lost server-side prepared statement, or null when {@code failure} is not one. */
    static @Nullable ConfigurationException translate(Throwable failure, String node) {
        String state = SqlFailures.sqlState(failure);
        if (!"26000".equals(state) && !"42P05".equals(state)) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                var m = DRIVER_STATEMENT.matcher(t.getMessage());
                if (m.find()) {
                    return new ConfigurationException("node '" + node + "' answered '" + m.group() + "' (SQLState "
                            + state + "): pgJDBC prepared the statement in one server session, and a transaction-mode"
                            + " connection pooler such as PgBouncer ran the next statement in another. Declare the"
                            + " pooler: 'pooler: pgbouncer-transaction' for the node or the whole topology in"
                            + " junction.yaml (RoutingConfig.Builder.pooler or NodeConfig.Builder.pooler in Java),"
                            + " which sets prepareThreshold=0; with a plain DataSource, add prepareThreshold=0 to its"
                            + " URL",
                            failure);
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
