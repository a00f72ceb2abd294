package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * The results of three works run by {@link Database#parallel(Work, Work, Work)}, in argument order. Immutable.
 *
 * @param first  the first work's result
 * @param second the second work's result
 * @param third  the third work's result
 */
public record Triple<A extends @Nullable Object, B extends @Nullable Object, C extends @Nullable Object>(
        A first, B second, C third) {
}
