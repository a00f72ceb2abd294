package dev.junction.routing.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The evidence that a node answers the application, which {@link Liveness} weighs against a monitor check that got
 * no answer: when a lease last ended without a connection-level failure, and how many checks were not counted because
 * of it. Thread-safe.
 */
final class Answers {
    private static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** When a statement of the application last completed on the node ({@link System#nanoTime()}). */
    private volatile long lastNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
    private final LongAdder inconclusiveChecks = new LongAdder();

    /**
     * Notes that the node just answered. Written at most once per millisecond: every lease ends here, and a field
     * written by every caller would bounce its cache line between cores.
     */
    void answered() {
        long now = System.nanoTime();
        if (now - lastNanos > RESOLUTION_NANOS) {
            lastNanos = now;
        }
    }

    /** When a lease of the application last ended without a connection-level failure ({@link System#nanoTime()}). */
    long lastNanos() {
        return lastNanos;
    }

    /** A monitor check got no answer while the node answered the application: not counted against it. */
    void inconclusiveCheck() {
        inconclusiveChecks.increment();
    }

    long inconclusiveChecks() {
        return inconclusiveChecks.sum();
    }
}
