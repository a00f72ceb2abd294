package dev.junction.routing.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many callers may be at one node at once (holding one of its connections or waiting for one), following the
 * latency the node delivers. The signal is the pool's queue: a caller's wait for a connection against the time a
 * connection is held. While callers wait no longer than a connection is held ({@link #TOLERANCE}), the limit grows
 * towards {@code max} (the fixed bulkhead's bound); once the wait outgrows that, the limit shrinks towards
 * {@code min} (the pool's size), so the callers beyond it are turned away at once instead of queueing into the pool's
 * {@code connectionTimeout}. A wait that ran out shrinks it at once (multiplicative decrease). The update is
 * gradient style (the limit times the ratio of the bearable to the observed queue time, plus a square-root allowance
 * for the queue a busy node needs), smoothed, and ignored while the node is not busy (fewer than half the limit at
 * the node says nothing about the queue). It never exceeds what the pool can serve within the callers' wait budget
 * at the measured hold time (Little's law, {@link #BUDGET_SHARE} of the budget). Free of clocks and I/O: callers feed it durations; thread-safe.
 */
final class AdaptiveLimit {
    /** A wait up to this multiple of the hold time counts as a healthy queue. */
    static final double TOLERANCE = 1.0;
    /** Weight of one sample in the running averages of wait and hold times. */
    private static final double SAMPLE_WEIGHT = 0.05;
    /** Share of a new limit taken at each update, so one sample cannot swing it. */
    private static final double SMOOTHING = 0.2;
    /** Factor applied to the limit when a caller's wait ran out (the queue is already too long). */
    private static final double DROP_FACTOR = 0.9;
    /** Share of the wait budget a caller at the back of the queue may expect to use (room for variation). */
    static final double BUDGET_SHARE = 0.5;

    private final int min;
    private final int max;
    private final long waitBudgetNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder sheds = new LongAdder();
    private volatile int limit;
    // Guarded by this: the running averages and the exact limit between updates.
    private double exactLimit;
    private double waitAverage;
    private double holdAverage;
    private boolean sampled;

    /**
     * @param min the lowest limit: the pool's size (with connections idle, nobody is turned away)
     * @param max the highest limit: the fixed bulkhead's bound ({@code maximumPoolSize + maxWaiting})
     * @param waitBudgetNanos how long a caller may wait for a connection (the pool's {@code connectionTimeout})
     */
    AdaptiveLimit(int min, int max, long waitBudgetNanos) {
        if (min < 1 || max < min || waitBudgetNanos <= 0) {
            throw new IllegalArgumentException("need 1 <= min <= max and a positive wait budget, got min " + min
                    + ", max " + max + ", budget " + waitBudgetNanos + "ns");
        }
        this.min = min;
        this.max = max;
        this.waitBudgetNanos = waitBudgetNanos;
        this.exactLimit = max;
        this.limit = max;
    }

    /** Takes a place at the node, or refuses (and counts a shed) when the limit is reached. */
    boolean tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                sheds.increment();
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryAcquire()}, with no sample (the call said nothing about the queue). */
    void release() {
        inFlight.decrementAndGet();
    }

    /** A caller got a connection after waiting {@code waitNanos} (0 when one was idle). */
    synchronized void onWait(long waitNanos) {
        waitAverage = sampled ? waitAverage + SAMPLE_WEIGHT * (waitNanos - waitAverage) : waitNanos;
    }

    /** A caller gave back a connection it held {@code holdNanos}, and its place; the limit is updated. */
    void onRelease(long holdNanos) {
        int atNode = inFlight.getAndDecrement();
        synchronized (this) {
            holdAverage = sampled ? holdAverage + SAMPLE_WEIGHT * (holdNanos - holdAverage) : holdNanos;
            sampled = true;
            if (atNode * 2 < exactLimit) {
                return; // not busy: the queue is empty whatever the limit, so it tells nothing
            }
            double bearable = TOLERANCE * Math.max(holdAverage, 1.0);
            double gradient = Math.clamp(bearable / Math.max(waitAverage, bearable), 0.5, 1.0);
            double proposed = exactLimit * gradient + Math.sqrt(exactLimit);
            // Little's law: min connections serve min / hold callers a second, so a caller admitted behind q others
            // waits about q * hold / min. Never admit one that could not get a connection within its budget.
            double servable = min + min * BUDGET_SHARE * waitBudgetNanos / Math.max(holdAverage, 1.0);
            update(Math.min(exactLimit * (1 - SMOOTHING) + proposed * SMOOTHING, servable));
        }
    }

    /** A caller's wait for a connection ran out: its place is given back and the limit shrinks at once. */
    void onDropped() {
        inFlight.decrementAndGet();
        synchronized (this) {
            update(exactLimit * DROP_FACTOR);
        }
    }

    private void update(double next) {
        exactLimit = Math.clamp(next, min, max);
        limit = (int) Math.floor(exactLimit);
    }

    /** The callers allowed at the node now. */
    int limit() {
        return limit;
    }

    /** Callers at the node now (holding or waiting). */
    int inFlight() {
        return inFlight.get();
    }

    /** Callers turned away because the limit was reached. */
    long sheds() {
        return sheds.sum();
    }

    int min() {
        return min;
    }

    int max() {
        return max;
    }
}
