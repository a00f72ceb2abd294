package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Resilience4j circuit breaker kept for every node. Only connection-level failures count (SQLState
 * class 08, 57P01-57P03, and pool acquisition timeouts); SQL errors such as constraint violations do not. Immutable
 * and thread-safe, with value equality; start from {@link #defaults()} or {@link #builder()} and derive a changed
 * copy with {@link #from(CircuitBreakerSettings)}.
 */
public final class CircuitBreakerSettings {
    private static final CircuitBreakerSettings DEFAULTS = builder().build();

    private final float failureRateThreshold;
    private final int minimumCalls;
    private final int slidingWindowSize;
    private final Duration waitInOpenState;
    private final int permittedCallsInHalfOpen;
    private final Duration maxWaitInOpenState;

    private CircuitBreakerSettings(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.minimumCalls = b.minimumCalls;
        this.slidingWindowSize = b.slidingWindowSize;
        this.waitInOpenState = b.waitInOpenState;
        this.permittedCallsInHalfOpen = b.permittedCallsInHalfOpen;
        this.maxWaitInOpenState = b.maxWaitInOpenState;
    }

    /** Threshold 50%, minimum 5 calls, window of 20 calls, 5s open (up to 1m for a flapping node), 2 trial calls. */
    public static CircuitBreakerSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(CircuitBreakerSettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.failureRateThreshold = existing.failureRateThreshold;
        b.minimumCalls = existing.minimumCalls;
        b.slidingWindowSize = existing.slidingWindowSize;
        b.waitInOpenState = existing.waitInOpenState;
        b.permittedCallsInHalfOpen = existing.permittedCallsInHalfOpen;
        b.maxWaitInOpenState = existing.maxWaitInOpenState;
        return b;
    }

    /**
     * The longest an open breaker keeps a node that flaps out: each opening soon after a readmission doubles the wait
     * from {@link #waitInOpenState()} up to this (see {@link Builder#maxWaitInOpenState}).
     */
    public Duration maxWaitInOpenState() {
        return maxWaitInOpenState;
    }

    /** Percentage of failed calls in the window that opens the breaker. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Calls the window must hold before the rate is evaluated. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** Number of most recent calls the rate is computed over. */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** How long an open breaker keeps the node out before trial calls. */
    public Duration waitInOpenState() {
        return waitInOpenState;
    }

    /** Trial calls let through in the half-open state. */
    public int permittedCallsInHalfOpen() {
        return permittedCallsInHalfOpen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircuitBreakerSettings other
                && Float.compare(failureRateThreshold, other.failureRateThreshold) == 0
                && minimumCalls == other.minimumCalls && slidingWindowSize == other.slidingWindowSize
                && waitInOpenState.equals(other.waitInOpenState)
                && maxWaitInOpenState.equals(other.maxWaitInOpenState)
                && permittedCallsInHalfOpen == other.permittedCallsInHalfOpen;
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureRateThreshold, minimumCalls, slidingWindowSize, waitInOpenState, maxWaitInOpenState,
                permittedCallsInHalfOpen);
    }

    @Override
    public String toString() {
        return "CircuitBreakerSettings[failureRateThreshold=" + failureRateThreshold + ", minimumCalls="
                + minimumCalls + ", slidingWindowSize=" + slidingWindowSize + ", waitInOpenState="
                + Durations.format(waitInOpenState) + ", permittedCallsInHalfOpen=" + permittedCallsInHalfOpen
                + ", maxWaitInOpenState=" + Durations.format(maxWaitInOpenState) + "]";
    }

    /**
     * Options of {@link CircuitBreakerSettings}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), and {@link #build()} copies the
     * values, so a builder can be reused.
     */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private int minimumCalls = 5;
        private int slidingWindowSize = 20;
        private Duration waitInOpenState = Duration.ofSeconds(5);
        private int permittedCallsInHalfOpen = 2;
        private Duration maxWaitInOpenState = Duration.ofMinutes(1);

        private Builder() {
        }

        /** @throws ConfigurationException unless {@code 0 < percent <= 100}; default 50 */
        public Builder failureRateThreshold(float percent) {
            if (!(percent > 0 && percent <= 100)) {
                throw new ConfigurationException("failureRateThreshold must be > 0 and <= 100 (a percentage), but"
                        + " was " + percent);
            }
            this.failureRateThreshold = percent;
            return this;
        }

        /** @throws ConfigurationException when {@code calls < 1}; default 5 */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = Checks.atLeast("minimumCalls", calls, 1);
            return this;
        }

        /** @throws ConfigurationException when {@code calls < 1}; default 20 */
        public Builder slidingWindowSize(int calls) {
            this.slidingWindowSize = Checks.atLeast("slidingWindowSize", calls, 1);
            return this;
        }

        /** @throws ConfigurationException when below 1ms; default 5s */
        public Builder waitInOpenState(Duration wait) {
            this.waitInOpenState = Checks.atLeast("waitInOpenState", wait, Duration.ofMillis(1));
            return this;
        }

        /** @throws ConfigurationException when {@code calls < 1}; default 2 */
        public Builder permittedCallsInHalfOpen(int calls) {
            this.permittedCallsInHalfOpen = Checks.atLeast("permittedCallsInHalfOpen", calls, 1);
            return this;
        }

        /**
         * The longest an open breaker keeps a flapping node out. An opening that comes less than this long after the
         * previous wait ended doubles the wait, from {@code waitInOpenState} up to this; a node that then stays in
         * for this long is forgiven and waits {@code waitInOpenState} again next time. Not above
         * {@code waitInOpenState} (or equal to it) means no backoff.
         *
         * @throws ConfigurationException when below 1ms; default 1m
         */
        public Builder maxWaitInOpenState(Duration wait) {
            this.maxWaitInOpenState = Checks.atLeast("maxWaitInOpenState", wait, Duration.ofMillis(1));
            return this;
        }

        /** The settings; every value was checked by its setter. */
        public CircuitBreakerSettings build() {
            return new CircuitBreakerSettings(this);
        }
    }
}
