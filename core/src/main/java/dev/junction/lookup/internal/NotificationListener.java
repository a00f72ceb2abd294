package dev.junction.lookup.internal;

import dev.junction.ConsistencyToken;
import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listening connection of a Database with lookups: a daemon thread that {@code LISTEN}s on the channel and
 * polls pgJDBC's {@code getNotifications(timeout)}; each batch of notifications invalidates the named tables, with
 * the primary's WAL position read right after they arrived as the tables' new floor.
 *
 * <p>Failures: a broken or terminated connection, or one that fails the periodic liveness check, is given up; the
 * thread reconnects after a backoff (100ms doubling to 5s, with jitter) and, once listening again, invalidates every
 * table, since notifications sent meanwhile were lost. A pooled connection is exchanged every
 * {@link Lookups#listenerLeaseLifetime()}: the new one listens first, then a marker notification sent through it
 * shows when the old one has received everything committed before, and only then is the old one returned.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread; everything else runs on the listener thread.
 */
final class NotificationListener {
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    static final int POLL_MILLIS = 250;
    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(5);
    static final int LIVENESS_TIMEOUT_SECONDS = 5;
    static final Duration MARKER_WAIT = Duration.ofSeconds(10);

    private final Lookups config;
    private final ListenerSessions sessions;
    private final LookupRuntime runtime;
    private final String markerPrefix = "junction:exchange:" + UUID.randomUUID() + ":";
    private final Thread thread;
    private final LongAdder connects = new LongAdder();
    private volatile boolean listening;
    private volatile boolean closed;
    private @Nullable ListenerSession current;
    private long exchanges;

    NotificationListener(Lookups config, ConnectionRouter router, LookupRuntime runtime) {
        this.config = config;
        this.sessions = new ListenerSessions(config, router);
        this.runtime = runtime;
        this.thread = new Thread(this::run, "junction-lookup-listener");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long connects() {
        return connects.sum();
    }

    boolean listening() {
        return listening;
    }

    void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(POLL_MILLIS * 8L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoff = INITIAL_BACKOFF_MILLIS;
        int failures = 0;
        long outageStart = 0;
        while (!closed) {
            Throwable failure = null;
            try {
                current = sessions.open(config.channel());
                ConsistencyToken position = current.position();
                runtime.listenerConnected(position);
                connects.increment();
                listening = true;
                if (failures > 0) {
                    log.info("lookup listener on channel '{}' is listening again after {} attempt(s) ({} ms) via"
                            + " {}; invalidated every lookup table, since notifications may have been missed",
                            config.channel(), failures, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart),
                            current.source());
                } else {
                    log.debug("lookup listener on channel '{}' is listening via {}", config.channel(),
                            current.source());
                }
                failures = 0;
                backoff = INITIAL_BACKOFF_MILLIS;
                listen();
            } catch (ListenerSessions.Unsupported e) {
                log.error("lookup listener on channel '{}' stopped: {}. Lookup tables changed by other instances"
                        + " are seen only after the ttl ({})", config.channel(), e.getMessage(), config.ttl());
                return;
            } catch (Exception | LinkageError e) {
                failure = e;
            } finally {
                listening = false;
                ListenerSession s = current;
                current = null;
                if (s != null) {
                    s.end(failure);
                }
            }
            if (closed) {
                return;
            }
            if (failures++ == 0) {
                outageStart = System.nanoTime();
                log.warn("lookup listener on channel '{}' lost its connection ({}); reconnecting with backoff."
                        + " Until it is back, changes from other instances are not seen (at most ttl {}); on"
                        + " reconnect every lookup table is invalidated", config.channel(),
                        failure == null ? "closed" : failure.toString(), config.ttl());
            } else {
                log.debug("lookup listener on channel '{}': attempt {} failed: {}", config.channel(), failures,
                        String.valueOf(failure));
            }
            try {
                Thread.sleep(jitter(backoff));
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** Receives until closed (returns) or the connection fails (throws). */
    private void listen() throws SQLException {
        long lastLiveness = System.nanoTime();
        while (!closed) {
            ListenerSession session = Objects.requireNonNull(current, "session");
            handle(session, session.pg().getNotifications(POLL_MILLIS), null);
            long now = System.nanoTime();
            if (now - lastLiveness >= LIVENESS_INTERVAL.toNanos()) {
                if (!session.connection().isValid(LIVENESS_TIMEOUT_SECONDS)) {
                    throw new SQLException("the listening connection did not answer a liveness check within "
                            + LIVENESS_TIMEOUT_SECONDS + "s", "08006");
                }
                lastLiveness = now;
            }
            if (session.pooled() && now - session.openedNanos() >= config.listenerLeaseLifetime().toNanos()) {
                exchange(session);
            }
        }
    }

    /**
     * Replaces a pooled session without a gap: the new one listens, a marker is sent through it, and the old one is
     * drained until the marker arrives (everything committed before the new LISTEN has then arrived too).
     */
    private void exchange(ListenerSession old) throws SQLException {
        ListenerSession next;
        try {
            next = sessions.open(config.channel());
        } catch (ListenerSessions.Unsupported e) {
            throw new SQLException(e.getMessage(), "08000", e);
        }
        String marker = markerPrefix + (++exchanges);
        boolean drained = false;
        try {
            next.notify(config.channel(), marker);
            long deadline = System.nanoTime() + MARKER_WAIT.toNanos();
            while (!drained && System.nanoTime() < deadline && !closed) {
                drained = handle(old, old.pg().getNotifications(POLL_MILLIS), marker);
            }
        } catch (SQLException | RuntimeException e) {
            next.end(e);
            throw e;
        }
        if (closed) {
            next.end(null); // the old one stays current and is ended by the run loop
            return;
        }
        current = next;
        old.end(null);
        if (!drained) {
            // The old connection did not confirm it had received everything: assume something was missed.
            log.warn("lookup listener on channel '{}': the exchanged connection did not deliver its marker within"
                    + " {}s; invalidating every lookup table", config.channel(), MARKER_WAIT.toSeconds());
            runtime.listenerConnected(next.position());
        }
    }

    /** Handles one batch; returns true when it contained {@code marker}. */
    private boolean handle(ListenerSession session, PGNotification @Nullable [] batch, @Nullable String marker)
            throws SQLException {
        if (batch == null || batch.length == 0) {
            return false;
        }
        boolean sawMarker = false;
        List<String> payloads = new ArrayList<>(batch.length);
        for (PGNotification n : batch) {
            if (!config.channel().equals(n.getName())) {
                continue;
            }
            String payload = n.getParameter();
            if (payload.startsWith("junction:exchange:")) {
                sawMarker |= payload.equals(marker);
                continue;
            }
            payloads.add(payload);
        }
        if (!payloads.isEmpty()) {
            runtime.notified(payloads, session.position());
        }
        return sawMarker;
    }

    private static long jitter(long millis) {
        return millis + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5));
    }
}
