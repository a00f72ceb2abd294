package dev.junction.lookup.internal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.JunctionException;
import dev.junction.internal.observation.ContextCapture;
import dev.junction.lookup.CodeTable;
import dev.junction.lookup.LookupCache;
import dev.junction.lookup.LookupStats;
import dev.junction.lookup.LookupTable;
import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.Table;
import org.jooq.impl.QOM;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup cache of one Database. One Caffeine {@link AsyncLoadingCache} entry per declared table, holding the
 * whole table as a {@link LoadedTable}; weighed by rows, expiring {@code ttl} after load. Concurrent misses share one
 * in-flight future, so one query per table; a failed future is dropped by Caffeine, so failures are not cached.
 *
 * <p>Freshness: every invalidation that knows a WAL position (a local commit's token, or the primary's position
 * when a notification arrived) raises the table's <em>floor</em>; loads read with {@code Consistency.after(floor)},
 * so a lagging replica can never put a table older than a known change back into the cache. Invalidating also
 * drops an in-flight load's future, so a load that started before the change is not cached either.
 *
 * <p>Thread-safe.
 */
public final class LookupRuntime implements LookupCache, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LookupRuntime.class);

    private final Lookups config;
    private final Database db;
    private final Set<LookupTable<?, ?>> declared;
    /** Declared tables by lower-cased unqualified name. */
    private final Map<String, List<LookupTable<?, ?>>> byName = new HashMap<>();
    private final Map<LookupTable<?, ?>, ConsistencyToken> floors = new ConcurrentHashMap<>();
    private final ExecutorService loaders = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("junction-lookup-load-", 0).factory());
    private final AsyncLoadingCache<LookupTable<?, ?>, LoadedTable<?, ?>> cache;
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder notifications = new LongAdder();
    private final AtomicBoolean evictionLogged = new AtomicBoolean();
    private final @Nullable NotificationListener listener;
    private volatile boolean closed;

    private LookupRuntime(Lookups config, Database db, ConnectionRouter router) {
        this.config = config;
        this.db = db;
        this.declared = Set.copyOf(config.tables());
        for (LookupTable<?, ?> table : config.tables()) {
            byName.computeIfAbsent(lastPart(table.nameParts()), k -> new ArrayList<>(1)).add(table);
        }
        this.cache = Caffeine.newBuilder()
                .executor(ContextCapture.propagating(loaders))
                .expireAfterWrite(config.ttl())
                .maximumWeight(config.maximumRows())
                .<LookupTable<?, ?>, LoadedTable<?, ?>>weigher((table, loaded) -> Math.max(1, loaded.size()))
                .<LookupTable<?, ?>, LoadedTable<?, ?>>evictionListener((table, loaded, cause) -> {
                    if (cause == RemovalCause.SIZE && evictionLogged.compareAndSet(false, true)) {
                        log.warn("lookup table '{}' was dropped from the cache because all lookup tables together"
                                + " exceed Lookups.maximumRows ({}); they will keep evicting each other. Raise"
                                + " maximumRows to the sum of their rows (logged once)",
                                table == null ? "?" : table.name(), config.maximumRows());
                    }
                })
                .buildAsync(this::load);
        this.listener = config.notifications() ? new NotificationListener(config, router, this) : null;
    }

    /** Builds the cache and starts its listener (when notifications are on). */
    public static LookupRuntime start(Lookups config, Database db, ConnectionRouter router) {
        LookupRuntime runtime = new LookupRuntime(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(db, "db"), Objects.requireNonNull(router, "router"));
        if (runtime.listener != null) {
            runtime.listener.start();
        }
        return runtime;
    }

    // ---- LookupCache ----

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> CodeTable<K, V> get(LookupTable<K, V> table) {
        Objects.requireNonNull(table, "table");
        if (!declared.contains(table)) {
            throw notDeclared(table);
        }
        if (closed) {
            throw new JunctionException("Database is closed, and its lookup cache with it; build a new one with"
                    + " Junction.builder()");
        }
        CompletableFuture<LoadedTable<?, ?>> future = cache.get(table);
        try {
            return (CodeTable<K, V>) future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JunctionException("interrupted while waiting for lookup table '" + table.name()
                    + "' to load", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), table);
        }
    }

    @Override
    public void invalidate(LookupTable<?, ?> table) {
        Objects.requireNonNull(table, "table");
        if (!declared.contains(table)) {
            throw notDeclared(table);
        }
        invalidate(table, null);
    }

    @Override
    public void invalidateAll() {
        invalidateAll(null);
    }

    @Override
    public LookupStats stats() {
        NotificationListener l = listener;
        return new LookupStats(loads.sum(), loadFailures.sum(), invalidations.sum(), notifications.sum(),
                l == null ? 0 : l.connects(), l != null && l.listening());
    }

    // ---- for the write path and the listener ----

    /** The configuration. */
    public Lookups config() {
        return config;
    }

    /** The declared table {@code table} refers to (its alias unwrapped), or null. */
    public @Nullable LookupTable<?, ?> match(Table<?> table) {
        Table<?> t = table;
        for (int i = 0; i < 8 && t instanceof QOM.TableAlias<?> alias; i++) {
            t = alias.$table();
        }
        Name name = t.getQualifiedName();
        String[] parts = name.getName();
        if (parts.length == 0) {
            return null;
        }
        return match(parts.length > 1 ? parts[parts.length - 2] : null, parts[parts.length - 1]);
    }

    /**
     * The declared table a possibly qualified name refers to, or null. Names compare case-insensitively; a
     * qualifier must match the declared schema when both are given (an unqualified name matches any schema).
     */
    public @Nullable LookupTable<?, ?> match(@Nullable String qualifier, String name) {
        List<LookupTable<?, ?>> candidates = byName.get(name.toLowerCase(Locale.ROOT));
        if (candidates == null) {
            return null;
        }
        for (LookupTable<?, ?> candidate : candidates) {
            List<String> parts = candidate.nameParts();
            if (qualifier == null || parts.size() < 2 || parts.get(parts.size() - 2).equalsIgnoreCase(qualifier)) {
                return candidate;
            }
        }
        return null;
    }

    /** A write through this Database committed changes to {@code tables}: invalidate them, reading after token. */
    public void committed(Collection<LookupTable<?, ?>> tables, ConsistencyToken token) {
        for (LookupTable<?, ?> table : tables) {
            invalidate(table, token);
        }
    }

    /** The listener (re)connected: notifications may have been missed, so everything is invalidated. */
    void listenerConnected(ConsistencyToken position) {
        invalidateAll(position);
    }

    /** Notifications arrived; {@code position} is the primary's WAL position read after they arrived. */
    void notified(List<String> payloads, ConsistencyToken position) {
        for (String payload : payloads) {
            String text = payload.strip();
            if (text.equals("*")) {
                notifications.increment();
                invalidateAll(position);
                continue;
            }
            int dot = text.lastIndexOf('.');
            String qualifier = dot > 0 ? text.substring(0, dot) : null;
            if (qualifier != null && qualifier.indexOf('.') >= 0) {
                qualifier = qualifier.substring(qualifier.lastIndexOf('.') + 1);
            }
            LookupTable<?, ?> table = match(qualifier, dot >= 0 ? text.substring(dot + 1) : text);
            if (table != null) {
                notifications.increment();
                invalidate(table, position);
            }
        }
    }

    private void invalidate(LookupTable<?, ?> table, @Nullable ConsistencyToken token) {
        if (token != null) {
            floors.merge(table, token, LookupRuntime::later);
        }
        cache.synchronous().invalidate(table);
        invalidations.increment();
    }

    private void invalidateAll(@Nullable ConsistencyToken token) {
        if (token != null) {
            for (LookupTable<?, ?> table : declared) {
                floors.merge(table, token, LookupRuntime::later);
            }
        }
        cache.synchronous().invalidateAll();
        invalidations.add(declared.size());
    }

    private static ConsistencyToken later(ConsistencyToken a, ConsistencyToken b) {
        try {
            return a.merge(b);
        } catch (IllegalArgumentException differentClusters) {
            return b;
        }
    }

    // ---- loading ----

    private LoadedTable<?, ?> load(LookupTable<?, ?> table) {
        ConsistencyToken floor = floors.get(table);
        Consistency consistency = floor == null ? Consistency.eventual() : Consistency.after(floor);
        long limit = config.maximumRows() + 1;
        try {
            Result<? extends Record> rows = db.read(consistency, ctx -> fetch(ctx, table.table(), table.key(),
                    limit));
            LoadedTable<?, ?> loaded = LoadedTable.of(table, rows, config.maximumRows());
            loads.increment();
            return loaded;
        } catch (RuntimeException | Error e) {
            loadFailures.increment();
            log.debug("loading lookup table '{}' failed: {}", table.name(), e.toString());
            throw e;
        }
    }

    private static <R extends Record> Result<R> fetch(DSLContext ctx, Table<R> table, Field<?> key, long limit) {
        return ctx.selectFrom(table).orderBy(key).limit(limit).fetch();
    }

    private static RuntimeException rethrow(@Nullable Throwable failure, LookupTable<?, ?> table) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new JunctionException("loading lookup table '" + table.name() + "' failed; see the cause", cause);
    }

    private IllegalArgumentException notDeclared(LookupTable<?, ?> table) {
        List<LookupTable<?, ?>> sameName = byName.getOrDefault(lastPart(table.nameParts()), List.of());
        String hint = sameName.isEmpty() ? "declare it with Lookups.builder().table(...)"
                : "it is declared as " + sameName.get(0) + "; use that same LookupTable constant";
        return new IllegalArgumentException("lookup table " + table + " is not declared in this Database's"
                + " Lookups; " + hint);
    }

    private static String lastPart(List<String> parts) {
        return parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
    }

    /** Stops the listener, drops every loaded table and refuses further reads. */
    @Override
    public void close() {
        closed = true;
        NotificationListener l = listener;
        if (l != null) {
            l.close();
        }
        cache.synchronous().invalidateAll();
        // The loaders' executor is left open: a thread-per-task executor holds no threads while idle, and Caffeine
        // may still hand it work for the invalidation above. get() refuses new loads from now on.
    }
}
