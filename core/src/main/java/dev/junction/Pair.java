package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * The results of two works run by {@link Database#parallel(Work, Work)}, in argument order. Immutable.
 *
 * @param first  the first work's result
 * @param second the second work's result
 */
public record Pair<A extends @Nullable Object, B extends @Nullable Object>(A first, B second) {
}
