package dev.junction;

import dev.junction.internal.sql.SqlShapes;

/**
 * The <em>shape</em> of a SQL statement: its text with every string and numeric literal replaced by {@code ?},
 * comments dropped, whitespace collapsed and the result truncated. Identifiers, keywords and parameter markers
 * ({@code ?}, {@code $1}) are kept as written. A shape never contains an inlined literal, so it is safe for messages,
 * reports and logs, and two executions of one statement with different values have the same shape. This is the form
 * Junction itself uses in its exceptions, log lines and reports; it is public so that tools (such as the doctor) can
 * print statements read from {@code pg_stat_statements} or {@code pg_stat_activity} in the same words. Stateless and
 * thread-safe.
 */
public final class SqlShape {

    /** The length {@link #of(String)} truncates to. */
    public static final int DEFAULT_MAX_LENGTH = 200;

    private SqlShape() {
    }

    /** The shape of {@code sql}, at most {@value #DEFAULT_MAX_LENGTH} characters plus {@code "..."} when truncated. */
    public static String of(String sql) {
        return SqlShapes.of(sql, DEFAULT_MAX_LENGTH);
    }

    /**
     * The shape of {@code sql}, at most {@code maxLength} characters plus {@code "..."} when truncated.
     *
     * @throws IllegalArgumentException when {@code maxLength} is less than 1
     */
    public static String of(String sql, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, but was " + maxLength);
        }
        return SqlShapes.of(sql, maxLength);
    }
}
