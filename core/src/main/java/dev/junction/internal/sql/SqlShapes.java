package dev.junction.internal.sql;

/**
 * Turns rendered SQL into its <em>shape</em>: the text with every literal value replaced by {@code ?}, comments
 * dropped, whitespace collapsed and the result truncated. A shape never contains bind values or inlined literals, so
 * it is safe for messages, reports and logs, and two executions of the same statement with different values have the
 * same shape. Stateless and thread-safe.
 */
public final class SqlShapes {

    /** Maximum characters of SQL kept in a shape before {@code "..."} is appended. */
    static final int MAX_LENGTH = 200;

    private SqlShapes() {
    }

    /** The shape of {@code sql}, at most {@link #MAX_LENGTH} characters plus {@code "..."}. */
    public static String of(String sql) {
        return of(sql, MAX_LENGTH);
    }

    /** The shape of {@code sql}, at most {@code maxLength} characters plus {@code "..."} when truncated. */
    public static String of(String sql, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), maxLength + 3));
        SqlLexer lexer = new SqlLexer(sql);
        boolean pendingSpace = false;
        for (SqlLexer.Type t = lexer.nextRaw(); t != SqlLexer.Type.END; t = lexer.nextRaw()) {
            if (t == SqlLexer.Type.WHITESPACE || t == SqlLexer.Type.COMMENT) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            switch (t) {
                case STRING, NUMBER -> out.append('?');
                default -> out.append(sql, lexer.start(), lexer.end());
            }
            if (out.length() > maxLength) {
                out.setLength(maxLength);
                return out.append("...").toString();
            }
        }
        return out.toString();
    }
}
