/**
 * Plain {@code main()} benchmarks on the embedded cluster, and the latency percentiles every benchmark of the samples
 * shares ({@link dev.junction.samples.bench.Latencies}); their figures are quoted in {@code docs/}.
 */
@NullMarked
package dev.junction.samples.bench;

import org.jspecify.annotations.NullMarked;
