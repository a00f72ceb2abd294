package dev.junction.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code junction.monitor.*}: the health monitor's timing. Mutable JavaBean for Spring's binder; not thread-safe,
 * read once at start-up.
 */
public class MonitorProperties {
    /** Pause between two checks of a node (default 500ms, at least 50ms). */
    private @Nullable Duration interval;
    /**
     * Each node's check has this long to answer before the node counts as down; also the connect,
     * login, socket and statement timeout of the monitor's probe (default 1s, at least 1s).
     */
    private @Nullable Duration timeout;

    public @Nullable Duration getInterval() {
        return interval;
    }

    public void setInterval(@Nullable Duration interval) {
        this.interval = interval;
    }

    public @Nullable Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(@Nullable Duration timeout) {
        this.timeout = timeout;
    }
}
