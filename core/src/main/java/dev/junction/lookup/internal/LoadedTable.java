package dev.junction.lookup.internal;

import dev.junction.ConfigurationException;
import dev.junction.lookup.CodeTable;
import dev.junction.lookup.LookupTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jooq.Record;
import org.jooq.RecordMapper;
import org.jooq.Result;
import org.jspecify.annotations.Nullable;

/**
 * One loaded {@link CodeTable}: the rows of one load, by key. Values are the mapper's results, shared; or detached jOOQ records, copied on every
 * read so no caller can change the cached rows. Immutable after construction; thread-safe.
 */
final class LoadedTable<K, V> implements CodeTable<K, V> {
    private final LookupTable<K, V> table;
    private final Map<K, Object> rows;
    private final boolean copyRecords;
    private final Instant loadedAt;

    private LoadedTable(LookupTable<K, V> table, Map<K, Object> rows, boolean copyRecords, Instant loadedAt) {
        this.table = table;
        this.rows = rows;
        this.copyRecords = copyRecords;
        this.loadedAt = loadedAt;
    }

    /**
     * Builds the loaded table from the rows of one load (at most {@code maximumRows + 1} were fetched).
     *
     * @throws ConfigurationException when there are more than {@code maximumRows} rows, or a null or duplicate key
     */
    static <K, V> LoadedTable<K, V> of(LookupTable<K, V> table, Result<? extends Record> result, long maximumRows) {
        if (result.size() > maximumRows) {
            throw new ConfigurationException("lookup table '" + table.name() + "' has more than " + maximumRows
                    + " rows (Lookups.maximumRows); it is too large to cache whole. Raise"
                    + " Lookups.builder().maximumRows(...) or do not declare it a lookup table");
        }
        RecordMapper<Record, V> mapper = table.mapper();
        Map<K, Object> rows = new LinkedHashMap<>(Math.max(4, result.size() * 4 / 3 + 1));
        for (Record record : result) {
            K key = record.get(table.key());
            if (key == null) {
                throw new ConfigurationException("lookup table '" + table.name() + "' has a row whose key '"
                        + table.key().getName() + "' is null; declare a NOT NULL unique column as the key");
            }
            Object value;
            if (mapper == null) {
                record.detach();
                value = record;
            } else {
                value = mapper.map(record);
                if (value == null) {
                    throw new ConfigurationException("the mapper of lookup table '" + table.name() + "' returned"
                            + " null; map every row to a value");
                }
            }
            if (rows.putIfAbsent(key, value) != null) {
                throw new ConfigurationException("lookup table '" + table.name() + "' has two rows with the same"
                        + " key '" + table.key().getName() + "'; declare a unique column as the key");
            }
        }
        return new LoadedTable<>(table, Collections.unmodifiableMap(rows), mapper == null, Instant.now());
    }

    @Override
    public LookupTable<K, V> table() {
        return table;
    }

    @Override
    public @Nullable V get(K key) {
        Object value = rows.get(key);
        return value == null ? null : value(value);
    }

    @Override
    public V require(K key) {
        Object value = rows.get(key);
        if (value == null) {
            throw new NoSuchElementException("lookup table '" + table.name() + "' has no row with that "
                    + table.key().getName() + " (" + rows.size() + " rows, loaded at " + loadedAt + ")");
        }
        return value(value);
    }

    @Override
    public boolean containsKey(K key) {
        return rows.containsKey(key);
    }

    @Override
    public List<V> all() {
        List<V> values = new ArrayList<>(rows.size());
        for (Object value : rows.values()) {
            values.add(value(value));
        }
        return Collections.unmodifiableList(values);
    }

    @Override
    public Set<K> keys() {
        return rows.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<K, V> asMap() {
        if (!copyRecords) {
            return (Map<K, V>) rows;
        }
        Map<K, V> copy = new LinkedHashMap<>(rows.size() * 4 / 3 + 1);
        rows.forEach((k, v) -> copy.put(k, value(v)));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public Instant loadedAt() {
        return loadedAt;
    }

    @SuppressWarnings("unchecked")
    private V value(Object stored) {
        return (V) (copyRecords ? ((Record) stored).original() : stored);
    }

    @Override
    public String toString() {
        return "CodeTable[" + table.name() + ", " + rows.size() + " rows, loaded at " + loadedAt + "]";
    }
}
