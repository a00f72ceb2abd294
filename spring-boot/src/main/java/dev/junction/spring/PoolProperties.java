package dev.junction.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One pool's settings: {@code junction.pool.primary.*}, {@code junction.pool.replica.*} and
 * {@code junction.nodes[i].pool.*}. Unset values are inherited (node from role, role from the library default).
 * Mutable JavaBean for Spring's binder; not thread-safe, read once at start-up.
 */
public class PoolProperties {
    /** Most connections of the pool, per app instance (default 10). */
    private @Nullable Integer maximumPoolSize;
    /** Idle connections kept ready (default: maximum-pool-size, a fixed-size pool). */
    private @Nullable Integer minimumIdle;
    /** Longest a caller waits for a connection (default 5s, at least 250ms). */
    private @Nullable Duration connectionTimeout;
    /** Idle connections above minimum-idle are closed after this; 0 = never (default 10m). */
    private @Nullable Duration idleTimeout;
    /** Connections are replaced after this; 0 = never (default 30m). */
    private @Nullable Duration maxLifetime;
    /** pgjdbc connectTimeout, whole seconds (default 2s). */
    private @Nullable Duration connectTimeout;
    /** pgjdbc socketTimeout, whole seconds; default 30s, 0 = none. */
    private @Nullable Duration socketTimeout;

    public @Nullable Integer getMaximumPoolSize() {
        return maximumPoolSize;
    }

    public void setMaximumPoolSize(@Nullable Integer maximumPoolSize) {
        this.maximumPoolSize = maximumPoolSize;
    }

    public @Nullable Integer getMinimumIdle() {
        return minimumIdle;
    }

    public void setMinimumIdle(@Nullable Integer minimumIdle) {
        this.minimumIdle = minimumIdle;
    }

    public @Nullable Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public @Nullable Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(@Nullable Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public @Nullable Duration getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(@Nullable Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public @Nullable Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(@Nullable Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public @Nullable Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(@Nullable Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    boolean isEmpty() {
        return maximumPoolSize == null && minimumIdle == null && connectionTimeout == null && idleTimeout == null
                && maxLifetime == null && connectTimeout == null && socketTimeout == null;
    }
}
