package dev.junction.lookup.internal;

import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.internal.lint.LintReporter;
import dev.junction.internal.sql.SqlShapes;
import dev.junction.internal.sql.SqlTableNames;
import dev.junction.internal.sql.StatementClassifier;
import dev.junction.lookup.CodeTable;
import dev.junction.lookup.LookupCache;
import dev.junction.lookup.LookupStats;
import dev.junction.lookup.LookupTable;
import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.QOM;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the lookup cache to the units of work of one Database, so the units need only a few calls:
 * {@link #track} a write lease (a jOOQ listener that notes the declared lookup tables the transaction writes and runs
 * the {@code lookup-read-in-write} lint), {@link #notifyWritten} (one {@code pg_notify} statement for the written
 * tables, inside the transaction, so it is delivered only if the commit succeeds; {@link #notifies} tells whether
 * there is one to send), {@link #afterCommit} (local invalidation with the commit's token) and {@link #close}. Without lookups every call is a no-op and no listener is
 * added. Thread-safe; each {@link Tracker} is confined to its lease's thread.
 */
public final class LookupHooks {
    private static final Logger log = LoggerFactory.getLogger(LookupHooks.class);
    static final String LINT = "lookup-read-in-write";
    static final String NOTIFY = "select pg_notify(?, t) from unnest(?::text[]) as t";

    private final @Nullable LookupRuntime runtime;
    private final LookupCache cache;
    private final LintMode lint;
    private final LintReporter reporter;

    private LookupHooks(@Nullable LookupRuntime runtime, LintMode lint, LintReporter reporter) {
        this.runtime = runtime;
        this.cache = runtime != null ? runtime : Undeclared.INSTANCE;
        this.lint = lint;
        this.reporter = reporter;
    }

    /** Hooks for {@code lookups} (null: none declared); starts the cache's listener. */
    public static LookupHooks create(@Nullable Lookups lookups, Database db, ConnectionRouter router, Lints lints,
            LintReporter reporter) {
        if (lookups == null) {
            return new LookupHooks(null, LintMode.OFF, reporter);
        }
        return new LookupHooks(LookupRuntime.start(lookups, db, router), lints.lookupReadInWrite(), reporter);
    }

    /** What {@code db.lookups()} returns. */
    public LookupCache cache() {
        return cache;
    }

    /**
     * A tracker for a write lease on {@code node}, adding its lint findings to {@code lintFindings}; null when no
     * lookups are declared. Reads are not tracked.
     */
    public @Nullable Tracker track(String node, List<String> lintFindings) {
        LookupRuntime r = runtime;
        return r == null ? null : new Tracker(r, node, lintFindings, lint, reporter);
    }

    /** The lease's jOOQ listeners: the tracker (when there is one) first, then the scope's listener. */
    public static ExecuteListenerProvider[] listeners(@Nullable Tracker tracker, ExecuteListener scopeListener) {
        return tracker == null ? new ExecuteListenerProvider[] {() -> scopeListener}
                : new ExecuteListenerProvider[] {() -> tracker, () -> scopeListener};
    }

    /** Whether {@link #notifyWritten} has a notification to send for this transaction. */
    public static boolean notifies(@Nullable Tracker tracker) {
        return tracker != null && !tracker.written.isEmpty() && tracker.runtime.config().notifications();
    }

    /**
     * Just before the commit: notifies other instances of the written lookup tables (one round trip, which the
     * caller counts); only when {@link #notifies}.
     */
    public static void notifyWritten(Tracker tracker, Connection connection) throws SQLException {
        List<String> names = new ArrayList<>(tracker.written.size());
        for (LookupTable<?, ?> table : tracker.written) {
            names.add(table.name());
        }
        try (PreparedStatement s = connection.prepareStatement(NOTIFY)) {
            Array array = connection.createArrayOf("text", names.toArray());
            s.setString(1, tracker.runtime.config().channel());
            s.setArray(2, array);
            s.execute();
        }
    }

    /** Right after a successful commit: invalidates the written tables here; the next load reads after token. */
    public static void afterCommit(@Nullable Tracker tracker, @Nullable ConsistencyToken token) {
        if (tracker == null || tracker.written.isEmpty() || token == null) {
            return;
        }
        try {
            tracker.runtime.committed(tracker.written, token);
        } catch (RuntimeException e) {
            log.warn("invalidating lookup tables {} after a commit failed; they refresh within the ttl",
                    tracker.written, e);
        }
    }

    public void close() {
        LookupRuntime r = runtime;
        if (r != null) {
            r.close();
        }
    }

    /**
     * The jOOQ listener of one write lease: before each statement, the lint; after each successful statement, the
     * declared lookup tables it wrote. Targets come from jOOQ's query object model ({@code QOM.Insert.$into()},
     * {@code Update.$table()}, {@code Delete.$from()}, {@code Merge.$into()}, {@code Truncate.$table()}, their
     * {@code RETURNING} forms); any other statement that is not a read (plain SQL, DDL, writable CTEs) counts as
     * writing every declared table its text names, so a table is invalidated for nothing rather than missed.
     */
    public static final class Tracker implements ExecuteListener {
        private static final long serialVersionUID = 1L;

        private final transient LookupRuntime runtime;
        private final String node;
        private final transient List<String> lintFindings;
        private final LintMode lint;
        private final transient LintReporter reporter;
        private final Set<LookupTable<?, ?>> written = new LinkedHashSet<>(2);

        Tracker(LookupRuntime runtime, String node, List<String> lintFindings, LintMode lint, LintReporter reporter) {
            this.runtime = runtime;
            this.node = node;
            this.lintFindings = lintFindings;
            this.lint = lint;
            this.reporter = reporter;
        }

        @Override
        public void executeStart(ExecuteContext ctx) {
            if (lint == LintMode.OFF || ctx.routine() != null || isBatch(ctx)) {
                return;
            }
            String sql = ctx.sql();
            if (sql == null) {
                return;
            }
            Query query = ctx.query();
            StatementClassifier.Kind kind = query != null ? StatementClassifier.classify(query, sql)
                    : StatementClassifier.classifySql(sql);
            if (kind != StatementClassifier.Kind.READ) {
                return;
            }
            LookupTable<?, ?> table = onlyLookupTables(sql);
            if (table != null) {
                reporter.report(LINT, lint, "the write transaction on node '" + node
                        + "' read lookup table '" + table.name() + "' (" + SqlShapes.of(sql) + "), holding its"
                        + " connection and transaction open for data that is cached. Use db.lookups().get(...) for"
                        + " it (no query), or read it before the transaction (db.prepare(...).thenWrite(...))",
                        lintFindings);
            }
        }

        @Override
        public void executeEnd(ExecuteContext ctx) {
            if (ctx.routine() != null) {
                return;
            }
            Query[] batch = ctx.batchQueries();
            if (isBatch(ctx)) {
                String[] batchSql = ctx.batchSQL();
                for (int i = 0; i < batch.length; i++) {
                    noteWrites(batch[i], batchSql != null && i < batchSql.length ? batchSql[i] : null);
                }
            } else {
                noteWrites(ctx.query(), ctx.sql());
            }
        }

        private static boolean isBatch(ExecuteContext ctx) {
            Query[] batch = ctx.batchQueries();
            return batch != null && batch.length > 0 && (batch.length > 1 || ctx.query() == null);
        }

        /**
         * The lookup table a read statement reads, when every table it names in table position is a declared
         * lookup table not yet written by this transaction; else null (joins with other tables are not lookups).
         */
        private @Nullable LookupTable<?, ?> onlyLookupTables(String sql) {
            LookupTable<?, ?>[] found = new LookupTable<?, ?>[1];
            boolean other = SqlTableNames.tableReferences(sql, (qualifier, name) -> {
                LookupTable<?, ?> table = runtime.match(qualifier, name);
                if (table == null || written.contains(table)) {
                    return true;
                }
                found[0] = table;
                return false;
            });
            return other ? null : found[0];
        }

        private void noteWrites(@Nullable Query query, @Nullable String sql) {
            Table<?> target = target(query);
            if (target != null) {
                note(runtime.match(target));
                return;
            }
            if (query instanceof QOM.Truncate<?> truncate) {
                for (Table<?> table : truncate.$table()) {
                    note(runtime.match(table));
                }
                return;
            }
            if (sql == null) {
                return;
            }
            StatementClassifier.Kind kind = query != null ? StatementClassifier.classify(query, sql)
                    : StatementClassifier.classifySql(sql);
            if (kind != StatementClassifier.Kind.READ) {
                SqlTableNames.identifiers(sql, (qualifier, name) -> {
                    note(runtime.match(qualifier, name));
                    return false;
                });
            }
        }

        private static @Nullable Table<?> target(@Nullable Query query) {
            if (query instanceof QOM.Insert<?> insert) {
                return insert.$into();
            }
            if (query instanceof QOM.Update<?> update) {
                return update.$table();
            }
            if (query instanceof QOM.Delete<?> delete) {
                return delete.$from();
            }
            if (query instanceof QOM.Merge<?> merge) {
                return merge.$into();
            }
            if (query instanceof QOM.InsertReturning<?> insert) {
                return insert.$insert().$into();
            }
            if (query instanceof QOM.UpdateReturning<?> update) {
                return update.$update().$table();
            }
            if (query instanceof QOM.DeleteReturning<?> delete) {
                return delete.$delete().$from();
            }
            return null;
        }

        private void note(@Nullable LookupTable<?, ?> table) {
            if (table != null) {
                written.add(table);
            }
        }
    }

    /** The cache of a Database without lookups: every read says how to declare one. */
    private enum Undeclared implements LookupCache {
        INSTANCE;

        @Override
        public <K, V> CodeTable<K, V> get(LookupTable<K, V> table) {
            throw fail(table);
        }

        @Override
        public void invalidate(LookupTable<?, ?> table) {
            throw fail(table);
        }

        @Override
        public void invalidateAll() {
            // nothing cached
        }

        @Override
        public LookupStats stats() {
            return new LookupStats(0, 0, 0, 0, 0, false);
        }

        private static IllegalArgumentException fail(LookupTable<?, ?> table) {
            return new IllegalArgumentException("lookup table " + table + " is not declared: this Database has no"
                    + " lookups. Declare it with Junction.builder().lookups(Lookups.builder().table(...).build())");
        }
    }
}
