package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How reads with {@code Consistency.after(token)} are served. Immutable and thread-safe, with value equality; start
 * from {@link #defaults()} or {@link #builder()} and derive a changed copy with {@link #from(ConsistencySettings)}:
 *
 * <pre>{@code
 * ConsistencySettings c = ConsistencySettings.builder().maxWait(Duration.ofMillis(250)).build();
 * }</pre>
 */
public final class ConsistencySettings {
    private static final ConsistencySettings DEFAULTS = builder().build();

    /** How a token read decides whether a replica is fresh enough. */
    public enum Mode {
        /** Compare the replica's replay position with the token's commit position (exact). */
        WAL_POSITION,
        /** Assume replicas catch up within {@code primaryWindow} of a commit (approximate). */
        TIME
    }

    /**
     * Where a read goes whose consistency token does not parse or fails its checksum ({@code Consistency.afterToken}
     * or {@code ConsistencySession.restore} of a bad token). Whatever the policy, such reads are counted under the
     * route reason {@code token_invalid} and logged at most once a minute, without the token's text.
     */
    public enum InvalidTokenPolicy {
        /** To the primary, like a strong read (the default): never stale, but any client can load the primary. */
        STRONG,
        /** To a replica, like a read with no token: the primary's load stays bounded, the read may be stale. */
        EVENTUAL,
        /** Refused with {@code InvalidConsistencyTokenException}, whose {@code problem()} says what was wrong. */
        REJECT
    }

    private final Mode mode;
    private final Duration maxWait;
    private final Duration primaryWindow;
    private final InvalidTokenPolicy invalidToken;

    private ConsistencySettings(Builder b) {
        this.mode = b.mode;
        this.maxWait = b.maxWait;
        this.primaryWindow = b.primaryWindow;
        this.invalidToken = b.invalidToken;
    }

    /** WAL_POSITION, wait up to 100ms, window 2s, bad tokens read strong. */
    public static ConsistencySettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(ConsistencySettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.mode = existing.mode;
        b.maxWait = existing.maxWait;
        b.primaryWindow = existing.primaryWindow;
        b.invalidToken = existing.invalidToken;
        return b;
    }

    /**
     * {@link Mode#WAL_POSITION}: a replica serves the read once it has replayed the token's WAL position;
     * {@link Mode#TIME}: the primary serves reads for {@link #primaryWindow()} after the token's commit, replicas
     * afterwards (for setups where replay positions are not visible, e.g. some managed services or proxies).
     */
    public Mode mode() {
        return mode;
    }

    /**
     * In WAL_POSITION mode, how long a read may wait for a replica to catch up before it goes to the primary (0 means
     * never wait). The wait holds one replica connection.
     */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * In TIME mode, how long after a commit its reads go to the primary. Must exceed the worst replica lag you
     * accept, plus the clock skew between app instances.
     */
    public Duration primaryWindow() {
        return primaryWindow;
    }

    /** Where reads with a token that does not parse or fails its checksum go (default {@code STRONG}). */
    public InvalidTokenPolicy invalidToken() {
        return invalidToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencySettings other && mode == other.mode && maxWait.equals(other.maxWait)
                && primaryWindow.equals(other.primaryWindow) && invalidToken == other.invalidToken;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, maxWait, primaryWindow, invalidToken);
    }

    @Override
    public String toString() {
        return "ConsistencySettings[mode=" + mode + ", maxWait=" + Durations.format(maxWait) + ", primaryWindow="
                + Durations.format(primaryWindow) + ", invalidToken=" + invalidToken + "]";
    }

    /**
     * Options of {@link ConsistencySettings}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), and {@link #build()} copies the
     * values, so a builder can be reused.
     */
    public static final class Builder {
        private Mode mode = Mode.WAL_POSITION;
        private Duration maxWait = Duration.ofMillis(100);
        private Duration primaryWindow = Duration.ofSeconds(2);
        private InvalidTokenPolicy invalidToken = InvalidTokenPolicy.STRONG;

        private Builder() {
        }

        /** How a token read decides freshness (default WAL_POSITION). */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "consistency.mode");
            return this;
        }

        /** @throws ConfigurationException when negative; default 100ms */
        public Builder maxWait(Duration wait) {
            this.maxWait = Checks.atLeast("consistency.maxWait", wait, Duration.ZERO);
            return this;
        }

        /** @throws ConfigurationException when negative; default 2s */
        public Builder primaryWindow(Duration window) {
            this.primaryWindow = Checks.atLeast("consistency.primaryWindow", window, Duration.ZERO);
            return this;
        }

        /** Where reads with a token that does not parse or fails its checksum go (default STRONG). */
        public Builder invalidToken(InvalidTokenPolicy value) {
            this.invalidToken = Objects.requireNonNull(value, "consistency.invalidToken");
            return this;
        }

        /** The settings; every value was checked by its setter. */
        public ConsistencySettings build() {
            return new ConsistencySettings(this);
        }
    }
}
