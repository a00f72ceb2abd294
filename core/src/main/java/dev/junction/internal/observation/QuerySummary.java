package dev.junction.internal.observation;

import dev.junction.internal.sql.SqlTableNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenTelemetry {@code db.operation.name} and {@code db.query.summary} of a statement, from its shape (rendered
 * SQL with placeholders, literals already replaced): the leading keyword, and the keyword followed by the tables the
 * statement names, e.g. {@code SELECT member role}. A batch is {@code BATCH INSERT member}. Neither can carry a value:
 * only keywords and identifiers in table position are taken. Computed once per distinct shape (bounded, as
 * {@code SqlTexts} is). Thread-safe.
 *
 * @param operation the leading keyword when it is one of {@link #OPERATIONS}, else {@code OTHER}
 * @param summary   the operation and up to {@value #MAX_TABLES} table names
 */
record QuerySummary(String operation, String summary) {
    static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "WITH",
            "VALUES", "TABLE", "TRUNCATE", "COPY", "LOCK", "SET", "SHOW", "BEGIN", "COMMIT", "ROLLBACK",
            "SAVEPOINT", "RELEASE", "EXPLAIN", "LISTEN", "NOTIFY");
    static final int MAX_TABLES = 3;
    private static final int MAX_ENTRIES = 4_096;
    private static final ConcurrentHashMap<String, QuerySummary> CACHE = new ConcurrentHashMap<>();

    static QuerySummary of(String shape) {
        QuerySummary known = CACHE.get(shape);
        if (known != null) {
            return known;
        }
        QuerySummary summary = compute(shape);
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        CACHE.put(shape, summary);
        return summary;
    }

    static QuerySummary compute(String shape) {
        String sql = shape;
        String prefix = "";
        if (sql.startsWith("batch of ")) {
            int colon = sql.indexOf(": ");
            sql = colon >= 0 ? sql.substring(colon + 2) : "";
            prefix = "BATCH ";
        }
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        String keyword = sql.substring(start, end).toUpperCase(Locale.ROOT);
        String operation = OPERATIONS.contains(keyword) ? keyword : "OTHER";
        List<String> tables = new ArrayList<>(MAX_TABLES);
        SqlTableNames.tableReferences(sql, (qualifier, name) -> {
            String table = qualifier == null ? name : qualifier + "." + name;
            if (!tables.contains(table)) {
                tables.add(table);
            }
            return tables.size() >= MAX_TABLES;
        });
        StringBuilder summary = new StringBuilder(prefix).append(operation);
        for (String table : tables) {
            summary.append(' ').append(table);
        }
        return new QuerySummary(prefix.isEmpty() ? operation : "BATCH " + operation, summary.toString());
    }
}
