package dev.junction.lookup;

/**
 * The lookup tables of one {@link dev.junction.Database}, as returned by {@code db.lookups()}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #get} returns the cached table, or loads it with one {@code db.read} query (a replica, no
 *       transaction); concurrent callers that miss share that one query and its outcome, failures included, and a
 *       failed load is not cached;</li>
 *   <li>a table is never served longer than {@link Lookups#ttl()} after it was loaded;</li>
 *   <li>after a {@code db.write(...)} that changed a declared table has returned, {@code get} on this Database
 *       returns a table loaded after that commit, read from a node that has replayed it;</li>
 *   <li>with {@link Lookups#notifications()} on, a commit that changed a declared table through any Database with
 *       the same lookups and channel invalidates this cache when its notification arrives; the next load then reads
 *       from a node that has replayed the primary's position at arrival;</li>
 *   <li>writes that bypass Junction are picked up after {@link Lookups#ttl()}, or at once with
 *       {@link #invalidate(LookupTable)}, or in every instance with
 *       {@code select pg_notify('junction_lookups', 'public.role')} ({@code '*'} for all tables).</li>
 * </ul>
 *
 * <p>Thread-safe. Do not call {@link #get} while holding a connection you need (inside a write transaction, a cold
 * table takes a second connection for its load).
 */
public interface LookupCache {

    /**
     * The loaded {@code table}: an immutable view, loaded now if it is not cached.
     *
     * @throws IllegalArgumentException          when {@code table} was not declared in {@link Lookups}
     * @throws org.jooq.exception.DataAccessException when the load failed in the database (SQLState kept)
     * @throws dev.junction.ConfigurationException when the table has more rows than {@link Lookups#maximumRows()}, or
     *                                           a duplicate or null key
     * @throws dev.junction.JunctionException     when routing failed or the caller was interrupted while waiting
     */
    <K, V> CodeTable<K, V> get(LookupTable<K, V> table);

    /** Drops the cached copy of {@code table} in this Database; the next {@link #get} loads it. */
    void invalidate(LookupTable<?, ?> table);

    /** Drops every cached table in this Database. */
    void invalidateAll();

    /** Counters and the listener's state, for health checks and tests. */
    LookupStats stats();
}
