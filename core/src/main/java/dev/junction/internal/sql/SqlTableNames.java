package dev.junction.internal.sql;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds table names in SQL text, for the lookup cache: which tables a statement reads, and (conservatively) which it
 * may write. Built on {@link SqlLexer}, so names inside string literals, dollar quotes and comments are ignored;
 * quoted identifiers are unquoted, unquoted ones folded to lower case. Not a parser: it errs towards finding a name
 * (a caller may then invalidate a table for nothing, never miss one). Stateless and thread-safe.
 */
public final class SqlTableNames {

    /** Receives one possibly qualified name; returns true to stop the scan. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param qualifier the schema, or null when the name is not qualified
         * @param name      the table (or other object) name
         * @return true to stop scanning
         */
        boolean visit(@Nullable String qualifier, String name);
    }

    /** Words after which a name is in table position. */
    private static final Set<String> INTRODUCERS = Set.of("FROM", "JOIN", "UPDATE", "INTO", "USING", "TRUNCATE",
            "TABLE");
    /** Words that may sit between an introducer and the name. */
    private static final Set<String> SKIPPED = Set.of("ONLY", "TABLE", "LATERAL");
    /** Words that end a FROM list at the same depth, or show that an introducer did not introduce a table. */
    private static final Set<String> CLAUSES = Set.of("WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET",
            "WINDOW", "FETCH", "FOR", "UNION", "EXCEPT", "INTERSECT", "RETURNING", "SET", "VALUES", "SELECT", "OF",
            "NOWAIT", "SKIP", "DEFAULT", "DO", "NOTHING", "ON", "WHEN", "THEN");
    private static final int MAX_DEPTH = 64;

    private SqlTableNames() {
    }

    /**
     * Visits the names in table position: after {@code FROM}, {@code JOIN}, {@code UPDATE}, {@code INTO},
     * {@code USING}, {@code TRUNCATE [TABLE]}, {@code TABLE}, optionally followed by {@code ONLY}, and after each
     * comma of a {@code FROM} or {@code USING} list, at any nesting depth (subqueries, CTEs).
     *
     * @return true when the visitor stopped the scan
     */
    public static boolean tableReferences(String sql, Visitor visitor) {
        SqlLexer lexer = new SqlLexer(sql);
        boolean[] inFromList = new boolean[MAX_DEPTH];
        int depth = 0;
        boolean expectTable = false;
        boolean afterFor = false;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t == SqlLexer.Type.PUNCTUATION) {
                expectTable = false;
                if (lexer.isPunctuation('(')) {
                    depth++;
                    if (depth < MAX_DEPTH) {
                        inFromList[depth] = false;
                    }
                } else if (lexer.isPunctuation(')')) {
                    depth = Math.max(0, depth - 1);
                } else if (lexer.isPunctuation(',') && depth < MAX_DEPTH && inFromList[depth]) {
                    expectTable = true;
                }
                afterFor = false;
                continue;
            }
            if (t == SqlLexer.Type.WORD) {
                String word = lexer.text().toUpperCase(Locale.ROOT);
                if (expectTable && SKIPPED.contains(word)) {
                    continue;
                }
                if (INTRODUCERS.contains(word) && !(afterFor && word.equals("UPDATE"))) {
                    expectTable = true;
                    if ((word.equals("FROM") || word.equals("USING")) && depth < MAX_DEPTH) {
                        inFromList[depth] = true;
                    }
                    afterFor = false;
                    continue;
                }
                if (CLAUSES.contains(word)) {
                    expectTable = false;
                    if (depth < MAX_DEPTH && !word.equals("ON") && !word.equals("SET")) {
                        inFromList[depth] = false;
                    }
                    afterFor = word.equals("FOR") || word.equals("DO");
                    continue;
                }
                afterFor = false;
            } else if (t != SqlLexer.Type.QUOTED_IDENTIFIER) {
                expectTable = false;
                afterFor = false;
                continue;
            }
            if (expectTable) {
                expectTable = false;
                if (visitName(lexer, visitor)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Visits every identifier: the conservative view of what a statement may touch. Each part of a qualified name
     * is visited with the part before it as its qualifier ({@code a.b.c} as {@code a}, {@code a.b}, {@code b.c}).
     *
     * @return true when the visitor stopped the scan
     */
    public static boolean identifiers(String sql, Visitor visitor) {
        SqlLexer lexer = new SqlLexer(sql);
        String previous = null;
        boolean afterDot = false;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t == SqlLexer.Type.WORD || t == SqlLexer.Type.QUOTED_IDENTIFIER) {
                String part = identifier(lexer);
                if (visitor.visit(afterDot ? previous : null, part)) {
                    return true;
                }
                previous = part;
            } else if (!(t == SqlLexer.Type.PUNCTUATION && lexer.isPunctuation('.'))) {
                previous = null;
            }
            afterDot = t == SqlLexer.Type.PUNCTUATION && lexer.isPunctuation('.') && previous != null;
        }
        return false;
    }

    /** Reads a name starting at the current token ({@code a}, {@code a.b} or {@code a.b.c}) and visits it. */
    private static boolean visitName(SqlLexer lexer, Visitor visitor) {
        String previous = null;
        String last = identifier(lexer);
        while (true) {
            int mark = lexer.mark();
            if (lexer.next() == SqlLexer.Type.PUNCTUATION && lexer.isPunctuation('.')) {
                SqlLexer.Type part = lexer.next();
                if (part == SqlLexer.Type.WORD || part == SqlLexer.Type.QUOTED_IDENTIFIER) {
                    previous = last;
                    last = identifier(lexer);
                    continue;
                }
            }
            lexer.reset(mark);
            break;
        }
        return visitor.visit(previous, last);
    }

    private static String identifier(SqlLexer lexer) {
        String text = lexer.text();
        if (lexer.type() == SqlLexer.Type.QUOTED_IDENTIFIER) {
            int open = text.indexOf('"');
            return text.substring(open + 1, Math.max(open + 1, text.length() - 1)).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
