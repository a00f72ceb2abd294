/**
 * JMH benchmarks on the embedded cluster: Junction's routing overhead per read against plain HikariCP + jOOQ on the
 * same node, the cost of a read after a consistency token, and a graph fetch against list-then-relations and N+1.
 * Run with {@code ./dev bench jmh}; {@link dev.junction.samples.jmh.JmhMain} prints the ratios.
 */
@NullMarked
package dev.junction.samples.jmh;

import org.jspecify.annotations.NullMarked;
