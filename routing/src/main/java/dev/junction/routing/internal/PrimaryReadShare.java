package dev.junction.routing.internal;

import dev.junction.routing.SpillSettings;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The places on each primary for plain reads: reads spilled because every eligible replica was busy, and reads
 * fallen back because none was eligible, together at most {@link SpillSettings#capFor(int)} of its pool at once.
 * A read holds its place from the moment it is admitted until its lease is released, so the rest of the pool stays
 * for writes and for the reads only the primary may serve. Places are counted per node (a node that stops being the
 * primary keeps counting the reads still on it). Thread-safe.
 */
final class PrimaryReadShare {
    private final SpillSettings settings;
    private final Map<String, Semaphore> places = new ConcurrentHashMap<>();

    PrimaryReadShare(SpillSettings settings) {
        this.settings = settings;
    }

    boolean spills() {
        return settings.enabled();
    }

    /** The most spilled and fallback reads at once on {@code primary}. */
    int cap(NodeRuntime primary) {
        return settings.capFor(primary.pool().maximumPoolSize());
    }

    double share() {
        return settings.primaryShare();
    }

    private Semaphore places(NodeRuntime primary) {
        return places.computeIfAbsent(primary.name(), n -> new Semaphore(cap(primary)));
    }

    /**
     * A spilled read's lease on {@code primary}, counted {@code spill_primary}: only if a place is free and the
     * primary has a connection idle now; else null, and the read stays with the replicas.
     */
    @Nullable Lease trySpill(NodeRuntime primary, Decisions decisions) {
        Semaphore free = places(primary);
        if (!free.tryAcquire()) {
            return null;
        }
        Lease lease;
        try {
            lease = decisions.tryLend(primary, Role.PRIMARY, RouteReason.SPILL_PRIMARY);
        } catch (RuntimeException | Error e) {
            free.release();
            throw e;
        }
        if (lease == null) {
            free.release();
            return null;
        }
        return new Placed(lease, free);
    }

    /**
     * A place for a fallback read on {@code primary}, waiting up to the pool's {@code connectionTimeout} when the
     * share is full (counted {@code fallback_capped}). The wait holds no connection.
     *
     * @return the place to hand to {@link #placed}, or null when none came free in time
     */
    @Nullable Semaphore enterFallback(NodeRuntime primary, Decisions decisions) {
        Semaphore free = places(primary);
        if (free.tryAcquire()) {
            return free;
        }
        decisions.count(RouteReason.FALLBACK_CAPPED);
        try {
            return free.tryAcquire(primary.pool().connectionTimeout().toNanos(), TimeUnit.NANOSECONDS) ? free : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code lease}, giving its place back when it is released. */
    static Lease placed(Lease lease, Semaphore place) {
        return new Placed(lease, place);
    }

    /** A lease that holds a place of the share until it is released. */
    private static final class Placed implements Lease {
        private final Lease lease;
        private final Semaphore place;
        private final AtomicBoolean released = new AtomicBoolean();

        Placed(Lease lease, Semaphore place) {
            this.lease = lease;
            this.place = place;
        }

        @Override
        public Connection connection() {
            return lease.connection();
        }

        @Override
        public NodeRef node() {
            return lease.node();
        }

        @Override
        public String reason() {
            return lease.reason();
        }

        @Override
        public void release(@Nullable Throwable failure) {
            try {
                lease.release(failure);
            } finally {
                if (released.compareAndSet(false, true)) {
                    place.release();
                }
            }
        }

        @Override
        public String toString() {
            return lease.toString();
        }
    }
}
