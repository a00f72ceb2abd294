package dev.junction;

import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The write phase of a two-phase unit: runs in one short transaction on the primary, with the results of the read
 * phase already in hand.
 *
 * @param <R> the read phase's result
 * @param <T> the write's result
 */
@FunctionalInterface
public interface PreparedWork<R extends @Nullable Object, T extends @Nullable Object> {
    T run(DSLContext tx, R prepared) throws Exception;
}
