package dev.junction.routing.internal;

import dev.junction.routing.BreakerState;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.spi.SqlFailures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One node's circuit breaker: a Resilience4j breaker that counts only connection-level failures, plus the time it
 * opened, kept here because the breaker has no event consumer. Guarantees: while open and its wait has not passed it
 * blocks the node; the monitor finding the node down opens it (or restarts its wait). Thread-safe.
 */
final class NodeBreaker {
    private final CircuitBreaker breaker;
    private final Duration waitInOpenState;
    private volatile long openedAtNanos;

    NodeBreaker(String name, CircuitBreakerSettings cb) {
        this.waitInOpenState = cb.waitInOpenState();
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

    boolean tryAcquirePermission() {
        return breaker.tryAcquirePermission();
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
        return s == CircuitBreaker.State.OPEN && System.nanoTime() - openedAtNanos < waitInOpenState.toNanos();
    }

    /** Opens the breaker because the monitor found the node down; a breaker already open restarts its wait. */
    void open() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToOpenState();
            openedAtNanos = System.nanoTime();
        } else if (s == CircuitBreaker.State.OPEN) {
            openedAtNanos = System.nanoTime(); // still down: the trial calls wait until it answers again
        }
    }

    void recordError(long nanos, Throwable failure) {
        CircuitBreaker.State before = breaker.getState();
        breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        if (before != CircuitBreaker.State.OPEN && breaker.getState() == CircuitBreaker.State.OPEN) {
            openedAtNanos = System.nanoTime();
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
        return "circuit breaker OPEN (" + Math.round(Math.max(0, m.getFailureRate())) + "% of the last "
                + m.getNumberOfBufferedCalls() + " calls failed at connection level; trial calls after "
                + Durations.format(waitInOpenState) + ")";
    }
}
