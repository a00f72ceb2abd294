/**
 * Graph fetching on a film catalogue (issue 12): the hand-written shapes (N+1, per level, flat join, MULTISET) next
 * to the generated fetcher that chooses among the last three, the data that fills the catalogue, and the benchmark
 * behind {@code ./dev bench graph-fetch}.
 */
@NullMarked
package dev.junction.samples.graphfetch;

import org.jspecify.annotations.NullMarked;
