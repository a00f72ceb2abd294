package dev.junction.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code junction.slow-replica.*}: when a replica that answers, but slowly, loses its reads. Mutable JavaBean for
 * Spring's binder; not thread-safe, read once at start-up.
 */
public class SlowReplicaProperties {
    /**
     * A replica whose median check round trip is more than this many times its peers' median (and at
     * least 5ms above it) gets no reads until it is back to at most half that; 0 (off) or at least 2
     * (default 5).
     */
    private @Nullable Double factor;
    /** How far back those round trips count, 1s to 1h (default 10s). */
    private @Nullable Duration window;

    public @Nullable Double getFactor() {
        return factor;
    }

    public void setFactor(@Nullable Double factor) {
        this.factor = factor;
    }

    public @Nullable Duration getWindow() {
        return window;
    }

    public void setWindow(@Nullable Duration window) {
        this.window = window;
    }
}
