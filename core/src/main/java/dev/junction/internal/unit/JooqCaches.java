package dev.junction.internal.unit;

import java.util.Map;
import org.jooq.Configuration;
import org.jooq.impl.CacheType;

/**
 * Keeps jOOQ's reflection and record-mapper caches alive across units of work. jOOQ stores them in a
 * {@link Configuration}'s data map on first use, and each lease works on a configuration derived from the
 * Database's base one; a cache first created in a derived configuration would die with its lease, and every read
 * that maps into a class would redo the reflection. The first time a lease's configuration holds a cache the base
 * lacks, it is handed to the base, and every later derived configuration copies the reference.
 */
final class JooqCaches {
    private static final CacheType[] TYPES = CacheType.values();

    private JooqCaches() {
    }

    /**
     * Hands caches created in {@code derived} to {@code base}; {@code ownEntries} is how many data entries the lease
     * itself put into {@code derived} (so the common case, nothing new, costs two size reads).
     */
    static void adopt(Configuration base, Configuration derived, int ownEntries) {
        Map<Object, Object> data = derived.data();
        if (data.size() <= base.data().size() + ownEntries) {
            return;
        }
        for (CacheType type : TYPES) {
            Object cache = data.get(type);
            if (cache != null) {
                base.data().putIfAbsent(type, cache);
            }
        }
    }
}
