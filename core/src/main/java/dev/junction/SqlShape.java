package dev.junction;

import dev.junction.internal.sql.SqlShapes;

/**
 * The <em>shape</em> of a SQL statement: its text with every literal value replaced by {@code ?}, comments dropped,
 * whitespace collapsed and the result truncated. A shape never contains bind values or inlined literals, so it is
 * safe for messages, reports and logs, and two executions of one statement with different values have the same
 * shape. This is the form Junction itself uses in its exceptions and reports; tools (such as the doctor) use it to
 * print statements read from {@code pg_stat_statements} or {@code pg_stat_activity}. Stateless and thread-safe.
 */
public final class SqlShape {

    private SqlShape() {
    }

    /** The shape of {@code sql}, at most 200 characters plus {@code "..."} when truncated. */
    public static String of(String sql) {
        return SqlShapes.of(sql);
    }

    /** The shape of {@code sql}, at most {@code maxLength} characters plus {@code "..."} when truncated. */
    public static String of(String sql, int maxLength) {
        return SqlShapes.of(sql, maxLength);
    }
}
