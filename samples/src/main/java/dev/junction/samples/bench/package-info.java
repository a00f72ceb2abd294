/** Plain {@code main()} benchmarks on the embedded cluster; their figures are quoted in {@code docs/}. */
@NullMarked
package dev.junction.samples.bench;

import org.jspecify.annotations.NullMarked;
