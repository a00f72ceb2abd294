package dev.junction.routing.internal;

import dev.junction.routing.BreakerState;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.spi.SqlFailures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * One node's circuit breaker: a Resilience4j breaker that counts only connection-level failures, plus how long it
 * keeps the node out once open ({@link Readmission}: {@code waitInOpenState}, doubled for each opening soon after the
 * previous wait ended, up to {@code maxWaitInOpenState}), kept here because the breaker has no event consumer.
 * Guarantees: while open and its wait has not passed it blocks the node and gives no permission, not even for a trial
 * call; the monitor finding the node down opens it (or restarts its wait); every opening is counted, and so is every
 * opening that lengthened the wait (a flapping node). Thread-safe.
 */
final class NodeBreaker {
    private final CircuitBreaker breaker;
    private final Readmission readmission;
    private final LongAdder openings = new LongAdder();
    private final LongAdder backoffs = new LongAdder();
    private volatile Readmission.State readmissionState = Readmission.State.FRESH;

    NodeBreaker(String name, CircuitBreakerSettings cb) {
        Duration base = cb.waitInOpenState();
        this.readmission = new Readmission(base, cb.maxWaitInOpenState().compareTo(base) > 0
                ? cb.maxWaitInOpenState() : base);
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .minimumNumberOfCalls(cb.minimumCalls())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.permittedCallsInHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(NodeBreaker::countsAgainstNode)
                // A long report on a healthy replica is not a failure: only failures open the breaker.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .writableStackTraceEnabled(false)
                .build());
        // No event consumer of our own: with any consumer registered, Resilience4j builds a timestamped event for every
        // call, which was a tenth of the per-read overhead. The breaker opens only in onError and
        // transitionToOpenState, so the opening time is taken there (see recordError and open).
    }

    /**
     * Whether a failure counts against the node's health: connection-level failures (SQLState class 08, 57P01-03)
     * and pool acquisition timeouts; not SQL errors such as constraint violations.
     */
    static boolean countsAgainstNode(@Nullable Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (SqlFailures.isConnectionFailure(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    CircuitBreaker resilience4j() {
        return breaker;
    }

    /** A permission for one call; none while the node is kept out, even once Resilience4j's own wait passed. */
    boolean tryAcquirePermission() {
        return !blocks() && breaker.tryAcquirePermission();
    }

    void releasePermission() {
        breaker.releasePermission();
    }

    void onSuccess(long nanos) {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    /** True while the breaker is open and its wait has not passed (after it, a trial call may go through). */
    boolean blocks() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.FORCED_OPEN) {
            return true;
        }
        return s == CircuitBreaker.State.OPEN && Readmission.blocks(readmissionState, System.nanoTime());
    }

    /** Opens the breaker because the monitor found the node down; a breaker already open restarts its wait. */
    void open() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToOpenState();
            opened();
        } else if (s == CircuitBreaker.State.OPEN) {
            // still down: the trial calls wait until it answers again
            synchronized (this) {
                readmissionState = readmission.stillDown(readmissionState, System.nanoTime());
            }
        }
    }

    /** The breaker just opened: the wait, longer when the node flaps, and the counts. */
    private synchronized void opened() {
        readmissionState = readmission.opened(readmissionState, System.nanoTime());
        openings.increment();
        if (Readmission.backedOff(readmissionState)) {
            backoffs.increment();
        }
    }

    /** Times the breaker opened. */
    long openings() {
        return openings.sum();
    }

    /** Openings that came soon after the previous wait ended and so lengthened the wait: the node flaps. */
    long backoffs() {
        return backoffs.sum();
    }

    /** How long the breaker keeps the node out at its current (or last) opening. */
    Duration currentWait() {
        return Duration.ofNanos(readmissionState.waitNanos());
    }

    void recordError(long nanos, Throwable failure) {
        CircuitBreaker.State before = breaker.getState();
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        if (before != CircuitBreaker.State.OPEN && breaker.getState() == CircuitBreaker.State.OPEN) {
            opened();
        }
    }

    BreakerState state() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }

    /** Words for "why the breaker blocks", with the numbers. */
    String description() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        Readmission.State r = readmissionState;
        return "circuit breaker OPEN (" + Math.round(Math.max(0, m.getFailureRate())) + "% of the last "
                + m.getNumberOfBufferedCalls() + " calls failed at connection level; trial calls after "
                + Durations.format(Duration.ofNanos(r.waitNanos()))
                + (Readmission.backedOff(r) ? ", lengthened " + r.strikes() + " time(s) in a row as the node keeps"
                        + " failing soon after each readmission" : "") + ")";
    }
}
