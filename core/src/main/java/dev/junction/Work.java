package dev.junction;

import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The body of a unit of work: runs statements through the {@link DSLContext} it is given, which is bound to the one
 * connection the unit holds. The context is valid only while {@link #run} executes and only on the thread that runs
 * it; do not keep it, and do not hand it to other threads (use {@link Database#parallel} for concurrency).
 *
 * <p>A work passed to {@link Database#read} may be run twice (a read that failed on a connection-level error is
 * retried once on another node), so it must have no side effects outside the database.
 *
 * @param <T> the result type; {@code null} results are allowed
 */
@FunctionalInterface
public interface Work<T extends @Nullable Object> {

    /**
     * Runs the work.
     *
     * @param ctx a jOOQ context bound to the unit's connection
     * @return the unit's result
     * @throws Exception any failure; checked exceptions reach the caller wrapped in a {@link JunctionException}
     */
    T run(DSLContext ctx) throws Exception;
}
