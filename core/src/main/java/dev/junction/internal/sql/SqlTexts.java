package dev.junction.internal.sql;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What Junction derives from a statement's SQL text, its {@linkplain SqlShapes shape} and its
 * {@linkplain StatementClassifier#classifySql(String) kind}, computed once per distinct text. An application runs a
 * few hundred distinct statements over and over, and lexing each execution's text twice was a measurable part of the
 * per-read overhead. Texts longer than {@value #MAX_CACHED_LENGTH} characters are not kept (long IN-lists and
 * inlined literals rarely repeat); when {@value #MAX_ENTRIES} texts are held the cache starts over, so memory stays
 * bounded even for an application that inlines values into its SQL. Thread-safe.
 */
public final class SqlTexts {
    static final int MAX_ENTRIES = 4_096;
    static final int MAX_CACHED_LENGTH = 8_192;

    /** Shape and kind of one text; the kind is computed on first use only, since writes never need it. */
    static final class Info {
        final String shape;
        private volatile StatementClassifier.@Nullable Kind kind;
        private final String sql;

        Info(String sql) {
            this.sql = sql;
            this.shape = SqlShapes.of(sql);
        }

        StatementClassifier.Kind kind() {
            StatementClassifier.Kind k = kind;
            if (k == null) {
                k = StatementClassifier.classifyText(sql);
                kind = k;
            }
            return k;
        }
    }

    private static final ConcurrentHashMap<String, Info> CACHE = new ConcurrentHashMap<>();

    private SqlTexts() {
    }

    static Info of(String sql) {
        Info info = CACHE.get(sql);
        if (info != null) {
            return info;
        }
        info = new Info(sql);
        if (sql.length() <= MAX_CACHED_LENGTH) {
            if (CACHE.size() >= MAX_ENTRIES) {
                CACHE.clear();
            }
            CACHE.put(sql, info);
        }
        return info;
    }

    /** Texts held now. */
    static int size() {
        return CACHE.size();
    }

    public static String shape(String sql) {
        return of(sql).shape;
    }

    static StatementClassifier.Kind kind(String sql) {
        return of(sql).kind();
    }
}
