package dev.junction.internal.sql;

import java.util.Locale;
import java.util.Set;
import org.jooq.DDLQuery;
import org.jooq.DMLQuery;
import org.jooq.Query;
import org.jooq.ResultQuery;
import org.jooq.Routine;
import org.jooq.Select;
import org.jooq.impl.QOM;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a statement modifies data or locks rows, from the jOOQ query object first and from the rendered
 * SQL text only where the object cannot tell (plain SQL, locking clauses, writable CTEs). jOOQ's
 * {@code ExecuteType} is deliberately not used: it reports {@code INSERT .. RETURNING} and
 * {@code SELECT .. FOR UPDATE} as reads.
 *
 * <p>Queries built with jOOQ's DSL are classified by {@code instanceof} checks; only {@code Select}s and plain SQL
 * are scanned, with a hand-written tokenizer (no regular expressions). The scan ignores string literals, quoted
 * identifiers, dollar quotes and comments.
 *
 * <p>{@link Kind#UNKNOWN} means "not recognised": read scopes let such statements through and rely on the
 * read-only connection (and the server's SQLState 25006) as the backstop. Volatile functions such as
 * {@code select nextval('s')} classify as reads for the same reason. Stateless and thread-safe.
 */
public final class StatementClassifier {

    /** The classification of one statement. */
    public enum Kind {
        /** Reads only. */
        READ,
        /** Modifies data or schema, or locks rows. */
        WRITE,
        /** Not recognised; the server decides. */
        UNKNOWN
    }

    private static final Set<String> WRITE_KEYWORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE",
            "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "COPY", "VACUUM", "REINDEX", "CLUSTER", "LOCK",
            "COMMENT", "CALL", "DO", "REFRESH", "ANALYZE", "SECURITY", "IMPORT", "REASSIGN");
    private static final Set<String> SESSION_KEYWORDS = Set.of("SET", "RESET", "SHOW", "BEGIN", "START", "COMMIT",
            "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "DISCARD", "LISTEN", "UNLISTEN", "DEALLOCATE");
    private static final String[] DML = {"INSERT", "UPDATE", "DELETE", "MERGE"};
    /**
     * jOOQ's class for plain-SQL statements without results ({@code DSL.query(String)}, {@code execute(String)}).
     * Its marker interface is not public, so it is looked up by name once; if a jOOQ release renames it, plain SQL
     * without results falls back to the conservative rule for unrecognised non-result queries.
     */
    private static final @Nullable Class<?> PLAIN_SQL_QUERY = classOrNull("org.jooq.impl.SQLQuery");

    private StatementClassifier() {
    }

    private static @Nullable Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, Query.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Classifies one execution as jOOQ describes it.
     *
     * @param query    {@code ExecuteContext.query()}
     * @param routine  {@code ExecuteContext.routine()}
     * @param batch    {@code ExecuteContext.batchQueries()}
     * @param sql      {@code ExecuteContext.sql()}, the rendered SQL of a single statement
     * @param batchSql {@code ExecuteContext.batchSQL()}, the rendered SQL of each batched statement
     * @return the first write found in a batch, or the statement's kind
     */
    public static Kind classify(@Nullable Query query, @Nullable Routine<?> routine, Query @Nullable [] batch,
            @Nullable String sql, String @Nullable [] batchSql) {
        return firstWrite(query, routine, batch, sql, batchSql) >= -1 ? Kind.WRITE : kindOf(query, routine, batch,
                sql, batchSql);
    }

    /**
     * Index of the first writing statement: {@code -1} for a single (non-batch) write, the batch index for a batch,
     * or {@code -2} when nothing writes.
     */
    public static int firstWrite(@Nullable Query query, @Nullable Routine<?> routine, Query @Nullable [] batch,
            @Nullable String sql, String @Nullable [] batchSql) {
        if (batch != null && batch.length > 0 && (batch.length > 1 || query == null)) {
            for (int i = 0; i < batch.length; i++) {
                String text = batchSql != null && i < batchSql.length ? batchSql[i] : null;
                if (text == null && batch.length == 1) {
                    text = sql;
                }
                if (classify(batch[i], text) == Kind.WRITE) {
                    return i;
                }
            }
            return -2;
        }
        if (routine != null) {
            return -2;
        }
        Kind kind = query != null ? classify(query, sql) : sql != null ? classifySql(sql) : Kind.UNKNOWN;
        return kind == Kind.WRITE ? -1 : -2;
    }

    private static Kind kindOf(@Nullable Query query, @Nullable Routine<?> routine, Query @Nullable [] batch,
            @Nullable String sql, String @Nullable [] batchSql) {
        if (routine != null) {
            return Kind.UNKNOWN;
        }
        if (batch != null && batch.length > 0 && (batch.length > 1 || query == null)) {
            Kind result = Kind.READ;
            for (int i = 0; i < batch.length; i++) {
                String text = batchSql != null && i < batchSql.length ? batchSql[i] : null;
                if (classify(batch[i], text) == Kind.UNKNOWN) {
                    result = Kind.UNKNOWN;
                }
            }
            return result;
        }
        return query != null ? classify(query, sql) : sql != null ? classifySql(sql) : Kind.UNKNOWN;
    }

    /**
     * Classifies a jOOQ query; {@code sql} is its rendered SQL (needed for {@code Select}s and plain SQL, may be null
     * if unknown).
     */
    public static Kind classify(Query query, @Nullable String sql) {
        if (query instanceof Select<?>) {
            return sql == null ? Kind.READ : classifySql(sql);
        }
        if (query instanceof DMLQuery<?> || query instanceof DDLQuery || query instanceof QOM.InsertReturning<?>
                || query instanceof QOM.UpdateReturning<?> || query instanceof QOM.DeleteReturning<?>) {
            return Kind.WRITE;
        }
        if (query.getClass() == PLAIN_SQL_QUERY || query instanceof ResultQuery<?>) {
            // Plain SQL (DSL.query / DSL.resultQuery / DSLContext.fetch(String) / execute(String)) and other
            // row-returning queries: only the text can tell.
            return sql == null ? Kind.UNKNOWN : classifySql(sql);
        }
        // Any other jOOQ statement that returns no rows: a write unless its text is a known session command.
        if (sql != null) {
            Kind text = classifySql(sql);
            if (text != Kind.UNKNOWN) {
                return text;
            }
        }
        return Kind.WRITE;
    }

    /**
     * Classifies SQL text by its leading keyword (after comments, whitespace and opening parentheses), then, for
     * queries, by locking clauses ({@code FOR UPDATE}, {@code FOR NO KEY UPDATE}, {@code FOR SHARE},
     * {@code FOR KEY SHARE}), writable CTEs ({@code WITH x AS (INSERT ...)}) and {@code SELECT ... INTO}.
     */
    public static Kind classifySql(String sql) {
        return SqlTexts.kind(sql);
    }

    /** {@link #classifySql(String)} without the cache: lexes {@code sql}. */
    static Kind classifyText(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        SqlLexer.Type t = lexer.next();
        while (lexer.isPunctuation('(')) {
            t = lexer.next();
        }
        if (t != SqlLexer.Type.WORD) {
            return Kind.UNKNOWN;
        }
        if (lexer.isWord("SELECT") || lexer.isWord("WITH") || lexer.isWord("VALUES") || lexer.isWord("TABLE")) {
            return scanQuery(lexer, lexer.isWord("WITH")) ? Kind.WRITE : Kind.READ;
        }
        if (lexer.isWord("EXPLAIN")) {
            return classifyExplain(lexer);
        }
        String keyword = lexer.text().toUpperCase(Locale.ROOT);
        if (WRITE_KEYWORDS.contains(keyword)) {
            return Kind.WRITE;
        }
        if (SESSION_KEYWORDS.contains(keyword)) {
            return Kind.READ;
        }
        return Kind.UNKNOWN;
    }

    /** {@code EXPLAIN ANALYZE} executes the statement it explains; plain {@code EXPLAIN} does not. */
    private static Kind classifyExplain(SqlLexer lexer) {
        boolean analyze = false;
        int statementStart = -1;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (lexer.isPunctuation('(')) {
                int depth = 1;
                while (depth > 0 && lexer.next() != SqlLexer.Type.END) {
                    if (lexer.isPunctuation('(')) {
                        depth++;
                    } else if (lexer.isPunctuation(')')) {
                        depth--;
                    } else if (lexer.isWord("ANALYZE") || lexer.isWord("ANALYSE")) {
                        analyze = true;
                    }
                }
            } else if (lexer.isWord("ANALYZE") || lexer.isWord("ANALYSE")) {
                analyze = true;
            } else if (lexer.isWord("VERBOSE")) {
                continue;
            } else {
                statementStart = lexer.start();
                break;
            }
        }
        if (!analyze || statementStart < 0) {
            return Kind.READ;
        }
        return classifyText(sqlAfter(lexer, statementStart));
    }

    private static String sqlAfter(SqlLexer lexer, int start) {
        return lexer.source().substring(start);
    }

    /**
     * Scans a query after its leading keyword. True when it locks rows, contains a data-modifying statement in a CTE
     * or (for {@code WITH}) as its main statement, or selects {@code INTO} a new table.
     */
    private static boolean scanQuery(SqlLexer lexer, boolean with) {
        int depth = 0;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t == SqlLexer.Type.PUNCTUATION) {
                if (lexer.isPunctuation('(')) {
                    depth++;
                    int mark = lexer.mark();
                    lexer.next();
                    if (isDml(lexer)) {
                        return true;
                    }
                    lexer.reset(mark);
                } else if (lexer.isPunctuation(')')) {
                    depth--;
                }
                continue;
            }
            if (t != SqlLexer.Type.WORD) {
                continue;
            }
            if (lexer.isWord("FOR")) {
                int mark = lexer.mark();
                lexer.next();
                if (lexer.isWord("UPDATE") || lexer.isWord("SHARE")) {
                    return true;
                }
                if (lexer.isWord("NO")) {
                    lexer.next();
                    if (lexer.isWord("KEY")) {
                        lexer.next();
                        if (lexer.isWord("UPDATE")) {
                            return true;
                        }
                    }
                } else if (lexer.isWord("KEY")) {
                    lexer.next();
                    if (lexer.isWord("SHARE")) {
                        return true;
                    }
                }
                lexer.reset(mark);
            } else if (depth == 0 && lexer.isWord("INTO")) {
                return true;
            } else if (with && depth == 0 && isDml(lexer)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDml(SqlLexer lexer) {
        for (String keyword : DML) {
            if (lexer.isWord(keyword)) {
                return true;
            }
        }
        return false;
    }
}
