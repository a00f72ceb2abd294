package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one node's HikariCP pool and of the pgjdbc connections in it. Immutable and thread-safe; create with
 * {@link #builder()} or copy-and-change with {@link Builder#from(PoolSettings)}.
 *
 * @param maximumPoolSize   most connections the pool holds (default 10); counts against the server's
 *                          {@code max_connections} once per app instance
 * @param minimumIdle       idle connections the pool keeps ready (default: equal to {@code maximumPoolSize}, a fixed
 *                          size pool as HikariCP recommends)
 * @param connectionTimeout longest a caller admitted by the bulkhead waits for a connection (default 5s, >= 250ms)
 * @param idleTimeout       idle connections above {@code minimumIdle} are closed after this (default 10m; 0 = never)
 * @param maxLifetime       connections are replaced after this (default 30m; 0 = never); keep it below any server or
 *                          network idle limit
 * @param connectTimeout    pgjdbc {@code connectTimeout}: bound on opening a TCP connection (default 2s; whole
 *                          seconds, rounded up)
 * @param socketTimeout     pgjdbc {@code socketTimeout}: bound on waiting for any server reply (default 0 = none;
 *                          whole seconds, rounded up); set it above your longest statement
 */
public record PoolSettings(int maximumPoolSize, int minimumIdle, Duration connectionTimeout, Duration idleTimeout,
                           Duration maxLifetime, Duration connectTimeout, Duration socketTimeout) {

    /** The defaults listed on the components. */
    public static final PoolSettings DEFAULTS = builder().build();

    public PoolSettings {
        Checks.atLeast("maximumPoolSize", maximumPoolSize, 1);
        Checks.atLeast("minimumIdle", minimumIdle, 0);
        if (minimumIdle > maximumPoolSize) {
            throw new IllegalArgumentException("minimumIdle must be <= maximumPoolSize (" + maximumPoolSize
                    + "), but was " + minimumIdle);
        }
        Checks.atLeast("connectionTimeout", connectionTimeout, Duration.ofMillis(250));
        Checks.zeroOrAtLeast("idleTimeout", idleTimeout, Duration.ofSeconds(10));
        Checks.zeroOrAtLeast("maxLifetime", maxLifetime, Duration.ofSeconds(30));
        Checks.atLeast("connectTimeout", connectTimeout, Duration.ZERO);
        Checks.atLeast("socketTimeout", socketTimeout, Duration.ZERO);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "PoolSettings[maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", connectionTimeout=" + Durations.format(connectionTimeout) + ", idleTimeout="
                + Durations.format(idleTimeout) + ", maxLifetime=" + Durations.format(maxLifetime)
                + ", connectTimeout=" + Durations.format(connectTimeout) + ", socketTimeout="
                + Durations.format(socketTimeout) + "]";
    }

    /** Builds {@link PoolSettings}; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private int maximumPoolSize = 10;
        private int minimumIdle = -1;
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ZERO;

        private Builder() {
        }

        /** A builder holding a copy of {@code existing}. */
        public static Builder from(PoolSettings existing) {
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

        /** @throws IllegalArgumentException when {@code size < 1} */
        public Builder maximumPoolSize(int size) {
            this.maximumPoolSize = Checks.atLeast("maximumPoolSize", size, 1);
            return this;
        }

        /** @throws IllegalArgumentException when {@code idle < 0}; must also be <= maximumPoolSize at build */
        public Builder minimumIdle(int idle) {
            this.minimumIdle = Checks.atLeast("minimumIdle", idle, 0);
            return this;
        }

        /** @throws IllegalArgumentException when below 250ms (HikariCP's minimum) */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = Checks.atLeast("connectionTimeout", timeout, Duration.ofMillis(250));
            return this;
        }

        /** @throws IllegalArgumentException unless 0 or >= 10s */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Checks.zeroOrAtLeast("idleTimeout", timeout, Duration.ofSeconds(10));
            return this;
        }

        /** @throws IllegalArgumentException unless 0 or >= 30s */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = Checks.zeroOrAtLeast("maxLifetime", lifetime, Duration.ofSeconds(30));
            return this;
        }

        /** @throws IllegalArgumentException when negative */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.atLeast("connectTimeout", timeout, Duration.ZERO);
            return this;
        }

        /** @throws IllegalArgumentException when negative */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = Checks.atLeast("socketTimeout", timeout, Duration.ZERO);
            return this;
        }

        /** @throws IllegalArgumentException when minimumIdle > maximumPoolSize */
        public PoolSettings build() {
            return new PoolSettings(maximumPoolSize, minimumIdle < 0 ? maximumPoolSize : minimumIdle,
                    Objects.requireNonNull(connectionTimeout), idleTimeout, maxLifetime, connectTimeout,
                    socketTimeout);
        }
    }
}
