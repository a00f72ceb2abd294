package dev.junction.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * {@code junction.replica-lag.*}: when a replica is too far behind to serve reads. Mutable JavaBean for Spring's
 * binder; not thread-safe, read once at start-up.
 */
public class ReplicaLagProperties {
    /** A replica estimated further behind than this gets no reads (default 5s). */
    private @Nullable Duration max;
    /** Optionally also exclude a replica with more WAL than this not yet replayed (default none). */
    private @Nullable DataSize maxBytes;
    /** An excluded replica re-enters below this fraction of the limit, > 0 and <= 1 (default 0.8). */
    private @Nullable Double hysteresis;

    public @Nullable Duration getMax() {
        return max;
    }

    public void setMax(@Nullable Duration max) {
        this.max = max;
    }

    public @Nullable DataSize getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(@Nullable DataSize maxBytes) {
        this.maxBytes = maxBytes;
    }

    public @Nullable Double getHysteresis() {
        return hysteresis;
    }

    public void setHysteresis(@Nullable Double hysteresis) {
        this.hysteresis = hysteresis;
    }
}
