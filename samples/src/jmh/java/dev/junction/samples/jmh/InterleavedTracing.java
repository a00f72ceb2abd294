package dev.junction.samples.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The tracing overhead of {@link TracingOverheadBenchmark} measured so that a shared machine's drift hits both
 * variants alike: untraced and traced reads alternate in blocks of {@value #BLOCK} calls in one JVM, after a long
 * warm-up, the order flipping every pair. On one thread it reports the wall-clock ratio and the caller's CPU time
 * per read (Junction's JVM-side cost without the database's time); on {@value TracingOverheadBenchmark#CONTENDED}
 * threads every thread runs the same variant at once (a barrier between blocks) and it reports the ratio of the
 * blocks' wall time and the CPU per read summed over the threads. Not a JMH measurement; run after the JMH rounds.
 */
final class InterleavedTracing {
    private static final int BLOCK = 2_000;

    private InterleavedTracing() {
    }

    /** Runs {@code blocks} pairs of blocks, on one thread and contended, and returns the summary lines. */
    static String run(int warmup, int blocks) throws InterruptedException {
        TracingOverheadBenchmark bench = new TracingOverheadBenchmark();
        bench.start();
        try {
            for (int i = 0; i < warmup; i++) {
                bench.readOff();
                bench.readTraced();
            }
            long[] single = measure(bench, 1, blocks);
            int contendedBlocks = Math.max(1, blocks / 4); // each block is CONTENDED times the calls
            long[] contended = measure(bench, TracingOverheadBenchmark.CONTENDED, contendedBlocks);
            double calls = (double) blocks * BLOCK;
            double contendedCalls = (double) contendedBlocks * BLOCK * TracingOverheadBenchmark.CONTENDED;
            return String.format(Locale.ROOT, "- tracing overhead, interleaved in one JVM, 1 thread (%d x %d calls"
                            + " each): wall %.3fx (%.1f vs %.1f us per read); caller CPU %.1f vs %.1f us per read"
                            + " (+%.1f us)%n", blocks, BLOCK, (double) single[1] / single[0], single[1] / 1e3 / calls,
                    single[0] / 1e3 / calls, single[3] / 1e3 / calls, single[2] / 1e3 / calls,
                    (single[3] - single[2]) / 1e3 / calls)
                    + String.format(Locale.ROOT, "- tracing overhead, interleaved, %d threads on pools of 4 (%d x %d"
                            + " calls per thread each): wall %.3fx (%.1f vs %.1f us per read per thread); CPU of the"
                            + " callers %.1f vs %.1f us per read (+%.1f us)%n", TracingOverheadBenchmark.CONTENDED,
                    contendedBlocks, BLOCK, (double) contended[1] / contended[0],
                    contended[1] / 1e3 / (contendedCalls / TracingOverheadBenchmark.CONTENDED),
                    contended[0] / 1e3 / (contendedCalls / TracingOverheadBenchmark.CONTENDED),
                    contended[3] / 1e3 / contendedCalls, contended[2] / 1e3 / contendedCalls,
                    (contended[3] - contended[2]) / 1e3 / contendedCalls);
        } finally {
            bench.stop();
        }
    }

    /**
     * Wall time of the off and traced blocks (elapsed per block, summed over blocks), then the CPU time of every
     * thread in them: {off wall, traced wall, off cpu, traced cpu} in nanoseconds.
     */
    private static long[] measure(TracingOverheadBenchmark bench, int threads, int blocks)
            throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLongArray totals = new AtomicLongArray(4);
        long[] phaseStart = new long[1];
        // The barrier action runs once per phase, between blocks, when every thread has arrived.
        int[] phase = {0};
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
            long now = System.nanoTime();
            if (phase[0] > 0) {
                int b = (phase[0] - 1) / 2;
                int k = (phase[0] - 1) % 2;
                boolean traced = (k == 0) != (b % 2 == 0);
                totals.addAndGet(traced ? 1 : 0, now - phaseStart[0]);
            }
            phase[0]++;
            phaseStart[0] = System.nanoTime();
        });
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("interleaved-tracing-" + t).start(() -> {
                try {
                    barrier.await();
                    for (int b = 0; b < blocks; b++) {
                        for (int k = 0; k < 2; k++) {
                            boolean traced = (k == 0) != (b % 2 == 0);
                            long c0 = mx.getCurrentThreadCpuTime();
                            for (int i = 0; i < BLOCK; i++) {
                                if (traced) {
                                    bench.readTraced();
                                } else {
                                    bench.readOff();
                                }
                            }
                            totals.addAndGet(traced ? 3 : 2, mx.getCurrentThreadCpuTime() - c0);
                            barrier.await();
                        }
                    }
                } catch (InterruptedException | BrokenBarrierException | RuntimeException e) {
                    failures.add(e);
                    barrier.reset();
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("an interleaved worker failed", failures.get(0));
        }
        return new long[] {totals.get(0), totals.get(1), totals.get(2), totals.get(3)};
    }
}
