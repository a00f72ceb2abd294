package dev.junction.spring;

import dev.junction.routing.ConsistencySettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code junction.consistency.*}: how reads after a consistency token are served. Mutable JavaBean for Spring's
 * binder; not thread-safe, read once at start-up.
 */
public class ConsistencyProperties {
    /** wal-position (exact, default) or time (approximate). */
    private ConsistencySettings.@Nullable Mode mode;
    /** wal-position: how long a read after a token may wait for a replica (default 100ms). */
    private @Nullable Duration maxWait;
    /** time: how long after a commit its reads go to the primary (default 2s). */
    private @Nullable Duration primaryWindow;
    /**
     * Where a read goes whose token does not parse or fails its checksum: strong (the primary, default),
     * eventual (a replica) or reject (InvalidConsistencyTokenException).
     */
    private ConsistencySettings.@Nullable InvalidTokenPolicy invalidToken;

    public ConsistencySettings.@Nullable Mode getMode() {
        return mode;
    }

    public void setMode(ConsistencySettings.@Nullable Mode mode) {
        this.mode = mode;
    }

    public @Nullable Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(@Nullable Duration maxWait) {
        this.maxWait = maxWait;
    }

    public @Nullable Duration getPrimaryWindow() {
        return primaryWindow;
    }

    public void setPrimaryWindow(@Nullable Duration primaryWindow) {
        this.primaryWindow = primaryWindow;
    }

    public ConsistencySettings.@Nullable InvalidTokenPolicy getInvalidToken() {
        return invalidToken;
    }

    public void setInvalidToken(ConsistencySettings.@Nullable InvalidTokenPolicy invalidToken) {
        this.invalidToken = invalidToken;
    }
}
