package dev.junction.lookup;

/**
 * Counters of a {@link LookupCache} since its Database was built, and the state of its listening connection.
 * Immutable: the values at the moment {@link LookupCache#stats()} was called.
 *
 * @param loads             load queries that succeeded (each is one {@code db.read} unit)
 * @param loadFailures      load queries that failed (their callers got the failure; nothing was cached)
 * @param invalidations     tables invalidated, by a local write, a notification, a reconnect or an explicit call
 * @param notifications     notifications received on the channel, for declared tables or {@code '*'}
 * @param listenerConnects  times the listening connection was established (1 after start, +1 per reconnect)
 * @param listening         whether a listening connection is established now; false when notifications are off
 */
public record LookupStats(long loads, long loadFailures, long invalidations, long notifications,
        long listenerConnects, boolean listening) {
}
