package dev.junction.routing.internal;

import java.time.Duration;
import java.util.Arrays;

/**
 * One node's recent response times: the round trips recorded with {@link #record}, kept for a time window, summed
 * up as their median. The monitor records the round trip of every successful check of the node (the check's query
 * only, never the time to open its connection), so the figure keeps moving while the node serves no reads, which is
 * what lets a replica excluded as slow come back. A median rather than a mean, so one stall (a checkpoint, a GC pause
 * of ours) does not make a node look slow.
 *
 * <p>Guarantees: {@link #medianNanos(long)} is the median of the samples recorded within the window before the given
 * time (the mean of the two middle ones for an even count), or -1 when there is none; at most {@link #CAPACITY}
 * samples are kept, the oldest dropped first; {@link #latestMedianNanos()} is the median as of the last
 * {@link #record}, a volatile read for callers on the hot path (per read), which do not need the window to expire
 * between samples. Thread-safe: {@code record} and {@code medianNanos} synchronize on this object.
 */
public final class ResponseTimes {
    /** Samples kept at most, whatever the window: at the fastest check interval (50 ms) that is 12.8 s of them. */
    public static final int CAPACITY = 256;

    private final long windowNanos;
    private final long[] roundTrips = new long[CAPACITY];
    private final long[] times = new long[CAPACITY];
    private int next;
    private int size;
    private volatile long latestMedian = -1;

    /** @param window how long a sample counts; must be positive */
    public ResponseTimes(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, but was " + window);
        }
        this.windowNanos = window.toNanos();
    }

    /**
     * Records one round trip.
     *
     * @param roundTripNanos how long it took, >= 0
     * @param atNanos        when it ended ({@link System#nanoTime()}); samples should come in time order
     */
    public synchronized void record(long roundTripNanos, long atNanos) {
        if (roundTripNanos < 0) {
            throw new IllegalArgumentException("roundTripNanos must be >= 0, but was " + roundTripNanos);
        }
        roundTrips[next] = roundTripNanos;
        times[next] = atNanos;
        next = (next + 1) % CAPACITY;
        size = Math.min(CAPACITY, size + 1);
        latestMedian = medianNanos(atNanos);
    }

    /** The median of the samples of the window ending at {@code nowNanos}, in nanoseconds; -1 when there is none. */
    public synchronized long medianNanos(long nowNanos) {
        long[] inWindow = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (nowNanos - times[i] <= windowNanos) {
                inWindow[n++] = roundTrips[i];
            }
        }
        if (n == 0) {
            return -1;
        }
        Arrays.sort(inWindow, 0, n);
        return n % 2 == 1 ? inWindow[n / 2] : inWindow[n / 2 - 1] + (inWindow[n / 2] - inWindow[n / 2 - 1]) / 2;
    }

    /** The median as of the last {@link #record} (-1 before the first): cheap, for use on every read. */
    public long latestMedianNanos() {
        return latestMedian;
    }

    /** How long a sample counts. */
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }
}
