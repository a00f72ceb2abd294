package dev.junction.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One loaded copy of a lookup table: its rows by key, as read by one query. Immutable: it never changes after
 * loading (a later change to the table produces a new loaded copy, got with a new
 * {@link LookupCache#get} call), and when the values are jOOQ records each read returns a copy. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface CodeTable<K, V> {

    /** The declaration this table was loaded for. */
    LookupTable<K, V> table();

    /** The value for {@code key}, or null when the table has no row with that key. */
    @Nullable V get(K key);

    /** The value for {@code key}, if the table has a row with that key. */
    default Optional<V> find(K key) {
        return Optional.ofNullable(get(key));
    }

    /**
     * The value for {@code key}.
     *
     * @throws NoSuchElementException naming the table and the key column (not the key's value) when there is no row
     *                                with that key
     */
    V require(K key);

    /** Whether the table has a row with {@code key}. */
    boolean containsKey(K key);

    /** Every value, in key order ({@code order by key} as the database sorts it). Unmodifiable. */
    List<V> all();

    /** Every key, in key order. Unmodifiable. */
    Set<K> keys();

    /** The rows as an unmodifiable map from key to value, in key order. */
    Map<K, V> asMap();

    /** The number of rows. */
    int size();

    /** When this load's query returned. */
    Instant loadedAt();
}
