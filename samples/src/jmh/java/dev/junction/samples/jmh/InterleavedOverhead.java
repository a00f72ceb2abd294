package dev.junction.samples.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A cross-check of the routing overhead that a shared machine cannot skew: the two calls of
 * {@link RoutingOverheadBenchmark} in one JVM, alternating in blocks of {@value #BLOCK} calls after a long warm-up,
 * so drift hits both alike. Reports the wall-clock ratio and the caller thread's CPU time per call (the JVM-side cost
 * Junction adds, without the database's time). Not a JMH measurement; run after the JMH rounds.
 */
final class InterleavedOverhead {
    private static final int BLOCK = 2_000;

    private InterleavedOverhead() {
    }

    /** Runs {@code blocks} pairs of blocks and returns the summary line. */
    static String run(int warmup, int blocks) {
        RoutingOverheadBenchmark bench = new RoutingOverheadBenchmark();
        bench.start();
        try {
            for (int i = 0; i < warmup; i++) {
                bench.plainHikariJooq();
                bench.junctionRead();
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] wall = new long[2];
            long[] cpu = new long[2];
            for (int b = 0; b < blocks; b++) {
                for (int k = 0; k < 2; k++) {
                    // Alternate which goes first, so neither always follows the other.
                    boolean plain = (k == 0) == (b % 2 == 0);
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < BLOCK; i++) {
                        if (plain) {
                            bench.plainHikariJooq();
                        } else {
                            bench.junctionRead();
                        }
                    }
                    int slot = plain ? 0 : 1;
                    wall[slot] += System.nanoTime() - t0;
                    cpu[slot] += threads.getCurrentThreadCpuTime() - c0;
                }
            }
            double calls = (double) blocks * BLOCK;
            return String.format(Locale.ROOT, "- routing overhead, interleaved in one JVM (%d x %d calls each):"
                            + " wall %.3fx (%.1f vs %.1f us per read); caller CPU %.1f vs %.1f us per read"
                            + " (+%.1f us)%n", blocks, BLOCK, (double) wall[1] / wall[0], wall[1] / 1e3 / calls,
                    wall[0] / 1e3 / calls, cpu[1] / 1e3 / calls, cpu[0] / 1e3 / calls,
                    (cpu[1] - cpu[0]) / 1e3 / calls);
        } finally {
            bench.stop();
        }
    }
}
