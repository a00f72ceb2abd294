package dev.junction.spi;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Classifies SQL failures by what the caller may safely do next. */
public final class SqlFailures {
    private SqlFailures() {
    }

    /**
     * True when the failure says the connection or the server went away (SQLState class 08, or 57P01 admin
     * shutdown, 57P02 crash shutdown, 57P03 cannot connect now): the statement's effect is unknown for writes, and
     * a read can be retried on another node. Walks the cause chain.
     */
    public static boolean isConnectionFailure(@Nullable Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    /** True for SQLState 25006: a write reached a read-only transaction or a standby. */
    public static boolean isReadOnlyViolation(@Nullable Throwable failure) {
        return "25006".equals(sqlState(failure));
    }

    /** True for a query cancelled on a hot standby by a recovery conflict (SQLState 40001 on a replica). */
    public static boolean isSerializationOrRecoveryConflict(@Nullable Throwable failure) {
        return "40001".equals(sqlState(failure));
    }

    /** The first SQLState found along the cause chain, or null. */
    public static @Nullable String sqlState(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
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
