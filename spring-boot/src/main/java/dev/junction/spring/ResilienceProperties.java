package dev.junction.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code junction.resilience.*}: circuit breaker and bulkhead per node, and the share of the primary pool reads may
 * take. Mutable JavaBean for Spring's binder; not thread-safe, read once at start-up.
 */
public class ResilienceProperties {
    /** The circuit breaker kept for every node. */
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();
    /** The bound on callers waiting for a busy pool. */
    private final Bulkhead bulkhead = new Bulkhead();
    /** Reads on the primary while the replicas are busy or out. */
    private final Spill spill = new Spill();

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Bulkhead getBulkhead() {
        return bulkhead;
    }

    public Spill getSpill() {
        return spill;
    }

    /** {@code junction.resilience.circuit-breaker.*}. */
    public static class CircuitBreaker {
        /** Percentage of failed calls in the window that opens the breaker, > 0 and <= 100 (default 50). */
        private @Nullable Float failureRateThreshold;
        /** Calls the window must hold before the rate is evaluated (default 5). */
        private @Nullable Integer minimumCalls;
        /** The rate is computed over this many most recent calls (default 20). */
        private @Nullable Integer slidingWindowSize;
        /** How long an open breaker keeps the node out (default 5s). */
        private @Nullable Duration waitInOpenState;
        /** Trial calls let through once the wait is over (default 2). */
        private @Nullable Integer permittedCallsInHalfOpen;
        /**
         * The longest an open breaker keeps a flapping node out: an opening soon after the previous
         * wait ended doubles the wait, from wait-in-open-state up to this; at or below
         * wait-in-open-state, no backoff (default 1m).
         */
        private @Nullable Duration maxWaitInOpenState;

        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable Integer getSlidingWindowSize() {
            return slidingWindowSize;
        }

        public void setSlidingWindowSize(@Nullable Integer slidingWindowSize) {
            this.slidingWindowSize = slidingWindowSize;
        }

        public @Nullable Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(@Nullable Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public @Nullable Integer getPermittedCallsInHalfOpen() {
            return permittedCallsInHalfOpen;
        }

        public void setPermittedCallsInHalfOpen(@Nullable Integer permittedCallsInHalfOpen) {
            this.permittedCallsInHalfOpen = permittedCallsInHalfOpen;
        }

        public @Nullable Duration getMaxWaitInOpenState() {
            return maxWaitInOpenState;
        }

        public void setMaxWaitInOpenState(@Nullable Duration maxWaitInOpenState) {
            this.maxWaitInOpenState = maxWaitInOpenState;
        }
    }

    /** {@code junction.resilience.bulkhead.*}. */
    public static class Bulkhead {
        /** Callers that may wait for a busy pool; 0 = nobody waits (default: each pool's maximum-pool-size). */
        private @Nullable Integer maxWaiting;

        public @Nullable Integer getMaxWaiting() {
            return maxWaiting;
        }

        public void setMaxWaiting(@Nullable Integer maxWaiting) {
            this.maxWaiting = maxWaiting;
        }

        /**
         * Whether the waiting places follow the node's latency, between 0 and max-waiting: they shrink once callers
         * wait longer for a connection than connections are held, so the excess is refused at once (default false).
         */
        private @Nullable Boolean adaptive;

        public @Nullable Boolean getAdaptive() {
            return adaptive;
        }

        public void setAdaptive(@Nullable Boolean adaptive) {
            this.adaptive = adaptive;
        }
    }

    /** {@code junction.resilience.spill.*}. */
    public static class Spill {
        /**
         * Whether plain reads go to the primary when every eligible replica's pool is busy and the
         * primary has an idle connection, within primary-share (default true).
         */
        private @Nullable Boolean enabled;
        /**
         * The share of the primary pool that spilled and fallback reads may hold together, the rest
         * staying for writes; > 0 and <= 1 (default 0.25).
         */
        private @Nullable Double primaryShare;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Double getPrimaryShare() {
            return primaryShare;
        }

        public void setPrimaryShare(@Nullable Double primaryShare) {
            this.primaryShare = primaryShare;
        }
    }
}
