package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How reads with {@code Consistency.after(token)} are served. Immutable and thread-safe.
 *
 * @param mode          {@link Mode#WAL_POSITION} (the default): a replica serves the read once it has replayed the
 *                      token's WAL position; {@link Mode#TIME}: the primary serves reads for {@code primaryWindow}
 *                      after the token's commit, replicas afterwards (for setups where replay positions are not
 *                      visible, e.g. some managed services or proxies)
 * @param maxWait       in WAL_POSITION mode, how long a read may wait for a replica to catch up before it goes to the
 *                      primary (default 100ms; 0 means never wait). The wait holds one replica connection.
 * @param primaryWindow in TIME mode, how long after a commit its reads go to the primary (default 2s). Must exceed
 *                      the worst replica lag you accept, plus the clock skew between app instances.
 */
public record ConsistencySettings(Mode mode, Duration maxWait, Duration primaryWindow) {

    /** WAL_POSITION, wait up to 100ms, window 2s. */
    public static final ConsistencySettings DEFAULTS = new ConsistencySettings(Mode.WAL_POSITION,
            Duration.ofMillis(100), Duration.ofSeconds(2));

    /** How a token read decides whether a replica is fresh enough. */
    public enum Mode {
        /** Compare the replica's replay position with the token's commit position (exact). */
        WAL_POSITION,
        /** Assume replicas catch up within {@code primaryWindow} of a commit (approximate). */
        TIME
    }

    public ConsistencySettings {
        Objects.requireNonNull(mode, "consistency.mode");
        Checks.atLeast("consistency.maxWait", maxWait, Duration.ZERO);
        Checks.atLeast("consistency.primaryWindow", primaryWindow, Duration.ZERO);
    }

    public ConsistencySettings withMode(Mode value) {
        return new ConsistencySettings(value, maxWait, primaryWindow);
    }

    public ConsistencySettings withMaxWait(Duration value) {
        return new ConsistencySettings(mode, value, primaryWindow);
    }

    public ConsistencySettings withPrimaryWindow(Duration value) {
        return new ConsistencySettings(mode, maxWait, value);
    }

    @Override
    public String toString() {
        return "ConsistencySettings[mode=" + mode + ", maxWait=" + Durations.format(maxWait) + ", primaryWindow="
                + Durations.format(primaryWindow) + "]";
    }
}
