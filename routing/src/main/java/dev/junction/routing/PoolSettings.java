package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one node's HikariCP pool and of the pgjdbc connections in it. Immutable and thread-safe, with value
 * equality; start from {@link #defaults()} or {@link #builder()} and derive a changed copy with
 * {@link #from(PoolSettings)}:
 *
 * <pre>{@code
 * PoolSettings small = PoolSettings.builder().maximumPoolSize(4).build();
 * PoolSettings patient = PoolSettings.from(small).connectionTimeout(Duration.ofSeconds(10)).build();
 * }</pre>
 */
public final class PoolSettings {
    private static final PoolSettings DEFAULTS = builder().build();

    private final int maximumPoolSize;
    private final int minimumIdle;
    private final Duration connectionTimeout;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    private PoolSettings(Builder b) {
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle < 0 ? b.maximumPoolSize : b.minimumIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxLifetime = b.maxLifetime;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
    }

    /** Pool of 10, fixed size, connection timeout 5s, idle timeout 10m, lifetime 30m, connect 2s, no socket timeout. */
    public static PoolSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding {@code existing}'s values, to derive a changed copy. A fixed-size pool (minimumIdle equal to
     * maximumPoolSize) stays fixed-size when only the size changes.
     */
    public static Builder from(PoolSettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.maximumPoolSize = existing.maximumPoolSize;
        b.minimumIdle = existing.minimumIdle == existing.maximumPoolSize ? -1 : existing.minimumIdle;
        b.connectionTimeout = existing.connectionTimeout;
        b.idleTimeout = existing.idleTimeout;
        b.maxLifetime = existing.maxLifetime;
        b.connectTimeout = existing.connectTimeout;
        b.socketTimeout = existing.socketTimeout;
        return b;
    }

    /** Most connections the pool holds; counts against the server's {@code max_connections} once per app instance. */
    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    /** Idle connections the pool keeps ready (by default equal to {@link #maximumPoolSize()}). */
    public int minimumIdle() {
        return minimumIdle;
    }

    /** Longest a caller admitted by the bulkhead waits for a connection. */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Idle connections above {@link #minimumIdle()} are closed after this; 0 = never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Connections are replaced after this; 0 = never. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** pgjdbc {@code connectTimeout}: bound on opening a TCP connection (whole seconds, rounded up). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * pgjdbc {@code socketTimeout}: bound on waiting for any server reply; 0 = none (whole seconds, rounded up).
     * Bounded by default (30 s), so a caller on an unreachable node is freed.
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolSettings other && maximumPoolSize == other.maximumPoolSize
                && minimumIdle == other.minimumIdle && connectionTimeout.equals(other.connectionTimeout)
                && idleTimeout.equals(other.idleTimeout) && maxLifetime.equals(other.maxLifetime)
                && connectTimeout.equals(other.connectTimeout) && socketTimeout.equals(other.socketTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maximumPoolSize, minimumIdle, connectionTimeout, idleTimeout, maxLifetime, connectTimeout,
                socketTimeout);
    }

    @Override
    public String toString() {
        return "PoolSettings[maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", connectionTimeout=" + Durations.format(connectionTimeout) + ", idleTimeout="
                + Durations.format(idleTimeout) + ", maxLifetime=" + Durations.format(maxLifetime)
                + ", connectTimeout=" + Durations.format(connectTimeout) + ", socketTimeout="
                + Durations.format(socketTimeout) + "]";
    }

    /**
     * Options of {@link PoolSettings}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), {@link #build()} checks the one rule
     * across options (minimumIdle at most maximumPoolSize) and copies the values, so a builder can be reused.
     */
    public static final class Builder {
        private int maximumPoolSize = 10;
        private int minimumIdle = -1; // -1: equal to maximumPoolSize, a fixed-size pool as HikariCP recommends
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Most connections the pool holds (default 10).
         *
         * @throws ConfigurationException when below 1
         */
        public Builder maximumPoolSize(int size) {
            this.maximumPoolSize = Checks.atLeast("maximumPoolSize", size, 1);
            return this;
        }

        /**
         * Idle connections kept ready (default: equal to maximumPoolSize).
         *
         * @throws ConfigurationException when negative; {@link #build()} also refuses more than maximumPoolSize
         */
        public Builder minimumIdle(int idle) {
            this.minimumIdle = Checks.atLeast("minimumIdle", idle, 0);
            return this;
        }

        /** @throws ConfigurationException when below 250ms (HikariCP's minimum); default 5s */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = Checks.atLeast("connectionTimeout", timeout, Duration.ofMillis(250));
            return this;
        }

        /** @throws ConfigurationException unless 0 or >= 10s; default 10m */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Checks.zeroOrAtLeast("idleTimeout", timeout, Duration.ofSeconds(10));
            return this;
        }

        /**
         * Keep it below any server or network idle limit.
         *
         * @throws ConfigurationException unless 0 or >= 30s; default 30m
         */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = Checks.zeroOrAtLeast("maxLifetime", lifetime, Duration.ofSeconds(30));
            return this;
        }

        /** @throws ConfigurationException when negative; default 2s */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.atLeast("connectTimeout", timeout, Duration.ZERO);
            return this;
        }

        /**
         * Set it above your longest statement. It is what ends a statement, and frees its caller, when the node is
         * alive but unreachable (a blackholed primary): the transaction budget's cancel request cannot reach it
         * either. 0 means no limit: such a statement then waits forever.
         *
         * @throws ConfigurationException when negative; default 30s
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = Checks.atLeast("socketTimeout", timeout, Duration.ZERO);
            return this;
        }

        /** @throws ConfigurationException when minimumIdle exceeds maximumPoolSize */
        public PoolSettings build() {
            if (minimumIdle > maximumPoolSize) {
                throw new ConfigurationException("minimumIdle must be <= maximumPoolSize (" + maximumPoolSize
                        + "), but was " + minimumIdle);
            }
            return new PoolSettings(this);
        }
    }
}
