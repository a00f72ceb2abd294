package dev.junction.routing.internal;

import dev.junction.routing.PoolSettings;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The bound on callers at one node (holding one of its connections or waiting for one): Resilience4j's bulkhead at
 * {@code maximumPoolSize + maxWaiting}, and in front of it, when {@code resilience.bulkhead.adaptive} is on, the
 * {@link AdaptiveLimit} that follows the node's latency. A caller over the bound is turned away at once (a shed)
 * instead of queueing into the pool's {@code connectionTimeout}. Every place taken ({@link #admit}) is given back by
 * exactly one of the {@code leave} methods, which also feed the adaptive limit what the caller saw. Thread-safe.
 */
final class CallerLimit {
    private final int poolSize;
    private final int maxWaiting;
    private final Bulkhead bulkhead;
    /** The adaptive bound ({@code resilience.bulkhead.adaptive}), or null for the fixed one alone. */
    private final @Nullable AdaptiveLimit adaptive;
    private final LongAdder bulkheadSheds = new LongAdder();

    CallerLimit(String poolName, PoolSettings pool, int maxWaiting, boolean adaptive) {
        this.poolSize = pool.maximumPoolSize();
        this.maxWaiting = maxWaiting;
        this.bulkhead = Bulkhead.of(poolName, BulkheadConfig.custom()
                .maxConcurrentCalls(poolSize + maxWaiting)
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.adaptive = adaptive
                ? new AdaptiveLimit(poolSize, poolSize + maxWaiting, pool.connectionTimeout().toNanos())
                : null;
    }

    /** Takes a place for a caller, or refuses and counts the caller as shed. */
    boolean admit() {
        return admit(true);
    }

    /**
     * Takes a place for a parallel group's extra connection, or refuses; a bulkhead refusal is not a shed (the group
     * goes on with the connections it holds), though the adaptive limit counts its own as it always does.
     */
    boolean admitExtra() {
        return admit(false);
    }

    private boolean admit(boolean countShed) {
        AdaptiveLimit a = adaptive;
        if (a != null && !a.tryAcquire()) {
            return false;
        }
        if (!bulkhead.tryAcquirePermission()) {
            if (countShed) {
                bulkheadSheds.increment();
            }
            releasePlace(a);
            return false;
        }
        return true;
    }

    /** The caller waited {@code waitNanos} for its connection and got it: the adaptive limit's queue signal. */
    void waited(long waitNanos) {
        AdaptiveLimit a = adaptive;
        if (a != null) {
            a.onWait(waitNanos);
        }
    }

    /** Gives the place back without a verdict: refused by the breaker, or failed before it could tell. */
    void leave() {
        bulkhead.onComplete();
        releasePlace(adaptive);
    }

    /**
     * Gives the place back after the wait for a connection failed. A timeout on a node that did not fail says the
     * queue outgrew {@code connectionTimeout}: the adaptive limit was too high and shrinks.
     */
    void leaveAfterFailedWait(boolean nodeFailure) {
        bulkhead.onComplete();
        AdaptiveLimit a = adaptive;
        if (a != null && !nodeFailure) {
            a.onDropped();
        } else {
            releasePlace(a);
        }
    }

    /** Gives the place back after the connection was held {@code heldNanos}: the adaptive limit's hold signal. */
    void leaveAfterHold(long heldNanos, boolean nodeFailure) {
        bulkhead.onComplete();
        AdaptiveLimit a = adaptive;
        if (a != null) {
            if (nodeFailure) {
                a.release(); // a broken node's hold time says nothing about its queue
            } else {
                a.onRelease(heldNanos);
            }
        }
    }

    private static void releasePlace(@Nullable AdaptiveLimit a) {
        if (a != null) {
            a.release();
        }
    }

    /** The waiting places beyond the pool's size now: the adaptive limit's share when adaptive, else the fixed one. */
    int maxWaiting() {
        AdaptiveLimit a = adaptive;
        return a == null ? maxWaiting : a.limit() - poolSize;
    }

    /** The configured waiting places: the fixed bound, also the adaptive limit's ceiling. */
    int fixedMaxWaiting() {
        return maxWaiting;
    }

    boolean adaptive() {
        return adaptive != null;
    }

    /** Callers allowed at the node now (holding or waiting for a connection): fixed, or the adaptive limit. */
    int callerLimit() {
        AdaptiveLimit a = adaptive;
        return a == null ? poolSize + maxWaiting : a.limit();
    }

    /** Callers turned away at once because the limit was reached (fixed bulkhead or adaptive limit). */
    long sheds() {
        AdaptiveLimit a = adaptive;
        long limited = a == null ? 0 : a.sheds();
        return limited + bulkheadSheds.sum();
    }

    /** The Resilience4j bulkhead, for its meters. */
    Bulkhead bulkhead() {
        return bulkhead;
    }
}
