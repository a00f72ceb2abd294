package dev.junction.samples.bench;

import java.util.Collection;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Latencies of a benchmark in nanoseconds and their percentiles, for every benchmark of the samples: an HdrHistogram
 * with three significant digits, so a percentile is within 0.1% of the recorded value it stands for (never below it),
 * whatever the range, in constant memory. A percentile is the nearest rank: the smallest recorded value that at least
 * that share of the values does not exceed. Thread-safe: any number of threads may record at once; read the
 * percentiles once they are done.
 */
public final class Latencies {
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3);

    /** An empty recorder. */
    public Latencies() {
    }

    /** The given latencies, in nanoseconds. */
    public static Latencies of(long... nanos) {
        Latencies latencies = new Latencies();
        for (long n : nanos) {
            latencies.record(n);
        }
        return latencies;
    }

    /** The given latencies, in nanoseconds. */
    public static Latencies of(Collection<Long> nanos) {
        Latencies latencies = new Latencies();
        nanos.forEach(latencies::record);
        return latencies;
    }

    /** Records one latency; a negative one (a clock that went back) counts as 0. */
    public void record(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    /** Adds every latency {@code other} recorded so far. */
    public void addAll(Latencies other) {
        histogram.add(other.histogram);
    }

    /** How many latencies were recorded. */
    public long count() {
        return histogram.getTotalCount();
    }

    /**
     * The latency at {@code fraction} (0.5 the median, 0.99 the 99th percentile, 1 the largest), in nanoseconds; 0
     * when nothing was recorded.
     *
     * @throws IllegalArgumentException when {@code fraction} is not within 0..1 (a percentage such as 95 is refused)
     */
    public long percentileNanos(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a percentile is a fraction within 0..1 (0.95 for p95), but was "
                    + fraction);
        }
        return count() == 0 ? 0 : histogram.getValueAtPercentile(fraction * 100);
    }

    /** {@link #percentileNanos(double)} in milliseconds. */
    public double percentileMs(double fraction) {
        return percentileNanos(fraction) / 1e6;
    }

    /** The median in nanoseconds; 0 when nothing was recorded. */
    public double medianNanos() {
        return percentileNanos(0.5);
    }
}
