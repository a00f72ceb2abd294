package dev.junction.routing.internal;

import dev.junction.spi.Role;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every node on one daemon thread ({@code junction-monitor}): role, WAL position, replay lag. Each node is
 * probed over its own dedicated connection ({@link Probe}). Replica lag is measured in bytes against the primary's
 * insert position and turned into a staleness estimate with {@link PrimaryHistory}; a replica 0 bytes behind is never
 * lagging. Role mismatches and up/down and lag transitions are logged once per transition. Thread-safe: observations
 * are published through {@link NodeRuntime#health(NodeHealth)}.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final List<NodeRuntime> nodes;
    private final Map<NodeRuntime, Probe> probes = new LinkedHashMap<>();
    private final LagPolicy lagPolicy;
    private final PrimaryHistory history;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private final Object pollLock = new Object();

    public HealthMonitor(List<NodeRuntime> nodes, Map<NodeRuntime, Probe> probes, LagPolicy lagPolicy,
                         Duration interval) {
        this.nodes = List.copyOf(nodes);
        this.probes.putAll(probes);
        this.lagPolicy = lagPolicy;
        this.interval = interval;
        long keepNanos = Math.max(lagPolicy.maxLag().toNanos() * 3, Duration.ofSeconds(30).toNanos());
        this.history = new PrimaryHistory((int) Math.min(100_000, keepNanos / Math.max(1, interval.toNanos()) + 2));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "junction-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling at the interval; call after a first {@link #pollOnce()}. */
    public void start() {
        executor.scheduleWithFixedDelay(this::pollSafely, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException | Error e) {
            log.error("routing monitor: poll failed unexpectedly; it continues at the next interval", e);
        }
    }

    /** Checks every node once: the primary first, so replicas are compared with a fresh primary position. */
    public void pollOnce() {
        synchronized (pollLock) {
            for (NodeRuntime node : nodes) {
                if (node.config().role() == Role.PRIMARY) {
                    poll(node);
                }
            }
            for (NodeRuntime node : nodes) {
                if (node.config().role() == Role.REPLICA) {
                    poll(node);
                }
            }
        }
    }

    private void poll(NodeRuntime node) {
        NodeHealth previous = node.health();
        Probe probe = Objects.requireNonNull(probes.get(node));
        Instant at = Instant.now();
        NodeHealth next;
        try {
            Probe.Observation o = probe.check();
            long now = System.nanoTime();
            Role observed = o.inRecovery() ? Role.REPLICA : Role.PRIMARY;
            if (observed == Role.PRIMARY && node.config().role() == Role.PRIMARY && o.lsn() != null) {
                if (previous.checked() && !previous.up()) {
                    // Back after an outage. With the old samples, every replica would look as far behind as the
                    // outage was long (the last position it reached dates from before it) and be excluded until
                    // it replayed the restarted primary's first WAL, while the primary's breaker still refuses the
                    // fallback: eventual reads failed although both replicas held everything. Replicas served reads
                    // through the outage; their staleness is measured again from now on.
                    history.clear();
                }
                history.add(now, o.lsn());
            }
            if (!node.systemIdentifierKnown()) {
                node.systemIdentifier(probe.systemIdentifier());
            }
            Long lagBytes = null;
            Duration lag = null;
            boolean excluded = false;
            if (node.config().role() == Role.REPLICA && observed == Role.REPLICA) {
                if (o.lsn() != null) {
                    lagBytes = history.bytesBehind(o.lsn());
                    lag = history.lag(o.lsn(), now);
                }
                excluded = lagPolicy.excluded(previous.lagExcluded(), lagBytes, lag);
            }
            Duration replayAge = o.replayAgeMillis() == null ? null : Duration.ofMillis(o.replayAgeMillis());
            next = new NodeHealth(true, true, observed, o.lsn(), lagBytes, lag, replayAge, excluded, at, null);
        } catch (SQLException | RuntimeException e) {
            next = NodeHealth.down(previous, at, Probe.describe(e));
        }
        node.health(next);
        if (!next.up()) {
            // A node the monitor cannot reach is as broken as one whose calls fail: open its breaker so the first
            // calls after it returns are trial calls, not a full load.
            node.openBreaker();
        }
        logTransitions(node, previous, next);
    }

    private static void logTransitions(NodeRuntime node, NodeHealth before, NodeHealth after) {
        String name = node.name();
        if (before.checked() && before.up() && !after.up()) {
            log.warn("node '{}' is down: {}; it gets no new work until a check succeeds", name, after.lastError());
        } else if (!before.up() && after.up() && before.checked()) {
            log.info("node '{}' is up again", name);
        }
        Role configured = node.config().role();
        @Nullable Role seenBefore = before.up() ? before.observedRole() : null;
        if (after.up() && after.observedRole() != configured && seenBefore != after.observedRole()) {
            if (configured == Role.REPLICA) {
                log.warn("node '{}' is configured as a replica but is not in recovery (pg_is_in_recovery() = false):"
                        + " it is a primary; no reads are sent to it as a replica until it is a standby again", name);
            } else {
                log.warn("node '{}' is configured as the primary but is in recovery (a standby); writes are refused"
                        + " until it is a primary again", name);
            }
        } else if (after.up() && after.observedRole() == configured && seenBefore != null
                && seenBefore != configured) {
            log.info("node '{}' is in its configured role ({}) again", name, configured.tag());
        }
        if (!before.lagExcluded() && after.lagExcluded()) {
            log.warn("replica '{}' excluded for lag: {} bytes, {} behind the primary", name, after.lagBytes(),
                    after.lag() == null ? "?" : Durations.format(after.lag()));
        } else if (before.lagExcluded() && !after.lagExcluded() && after.up()) {
            log.info("replica '{}' caught up and is used again ({} bytes behind)", name, after.lagBytes());
        }
    }

    /** Stops polling, waits for a running poll and closes the probe connections. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("routing monitor did not stop within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (pollLock) {
            probes.values().forEach(Probe::close);
        }
    }
}
