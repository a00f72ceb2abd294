/**
 * The load benchmark of the sample service: a closed-loop generator of virtual users with think time
 * ({@link dev.junction.samples.load.ClosedLoop}), the run over the three implementations at several user counts
 * ({@link dev.junction.samples.load.LoadBench}, {@code ./dev bench load}) and its report: JSON, a Markdown table and
 * an SVG chart ({@link dev.junction.samples.load.Report}). See {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.junction.samples.load;

import org.jspecify.annotations.NullMarked;
