package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;

/**
 * Settings of the Resilience4j circuit breaker kept for every node. Only connection-level failures count (SQLState
 * class 08, 57P01-57P03, and pool acquisition timeouts); SQL errors such as constraint violations do not. Immutable and
 * thread-safe.
 *
 * @param failureRateThreshold    percentage of failed calls in the window that opens the breaker (default 50)
 * @param minimumCalls            calls the window must hold before the rate is evaluated (default 5)
 * @param slidingWindowSize       number of most recent calls the rate is computed over (default 20)
 * @param waitInOpenState         how long an open breaker keeps the node out before trial calls (default 5s)
 * @param permittedCallsInHalfOpen trial calls let through in the half-open state (default 2)
 */
public record CircuitBreakerSettings(float failureRateThreshold, int minimumCalls, int slidingWindowSize,
                                     Duration waitInOpenState, int permittedCallsInHalfOpen) {

    public static final CircuitBreakerSettings DEFAULTS = builder().build();

    public CircuitBreakerSettings {
        checkRate(failureRateThreshold);
        Checks.atLeast("minimumCalls", minimumCalls, 1);
        Checks.atLeast("slidingWindowSize", slidingWindowSize, 1);
        Checks.atLeast("waitInOpenState", waitInOpenState, Duration.ofMillis(1));
        Checks.atLeast("permittedCallsInHalfOpen", permittedCallsInHalfOpen, 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static float checkRate(float rate) {
        if (!(rate > 0 && rate <= 100)) {
            throw new IllegalArgumentException("failureRateThreshold must be > 0 and <= 100 (a percentage), but was "
                    + rate);
        }
        return rate;
    }

    @Override
    public String toString() {
        return "CircuitBreakerSettings[failureRateThreshold=" + failureRateThreshold + ", minimumCalls="
                + minimumCalls + ", slidingWindowSize=" + slidingWindowSize + ", waitInOpenState="
                + Durations.format(waitInOpenState) + ", permittedCallsInHalfOpen=" + permittedCallsInHalfOpen + "]";
    }

    /** Builds {@link CircuitBreakerSettings}; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private int minimumCalls = 5;
        private int slidingWindowSize = 20;
        private Duration waitInOpenState = Duration.ofSeconds(5);
        private int permittedCallsInHalfOpen = 2;

        private Builder() {
        }

        public static Builder from(CircuitBreakerSettings existing) {
            Builder b = new Builder();
            b.failureRateThreshold = existing.failureRateThreshold;
            b.minimumCalls = existing.minimumCalls;
            b.slidingWindowSize = existing.slidingWindowSize;
            b.waitInOpenState = existing.waitInOpenState;
            b.permittedCallsInHalfOpen = existing.permittedCallsInHalfOpen;
            return b;
        }

        /** @throws IllegalArgumentException unless {@code 0 < percent <= 100} */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = checkRate(percent);
            return this;
        }

        /** @throws IllegalArgumentException when {@code calls < 1} */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = Checks.atLeast("minimumCalls", calls, 1);
            return this;
        }

        /** @throws IllegalArgumentException when {@code calls < 1} */
        public Builder slidingWindowSize(int calls) {
            this.slidingWindowSize = Checks.atLeast("slidingWindowSize", calls, 1);
            return this;
        }

        /** @throws IllegalArgumentException when below 1ms */
        public Builder waitInOpenState(Duration wait) {
            this.waitInOpenState = Checks.atLeast("waitInOpenState", wait, Duration.ofMillis(1));
            return this;
        }

        /** @throws IllegalArgumentException when {@code calls < 1} */
        public Builder permittedCallsInHalfOpen(int calls) {
            this.permittedCallsInHalfOpen = Checks.atLeast("permittedCallsInHalfOpen", calls, 1);
            return this;
        }

        public CircuitBreakerSettings build() {
            return new CircuitBreakerSettings(failureRateThreshold, minimumCalls, slidingWindowSize, waitInOpenState,
                    permittedCallsInHalfOpen);
        }
    }
}
