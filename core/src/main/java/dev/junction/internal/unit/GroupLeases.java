package dev.junction.internal.unit;

import dev.junction.JunctionException;
import dev.junction.UnitReport;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one parallel group. The first is taken from the router as any read's ({@code acquire}, which
 * may wait in the pool's queue while the group holds nothing); each further one only if the router has one at once
 * ({@code tryAcquire}). When it has none, the sibling waits for a connection the group already holds, which a work
 * that finished hands over instead of returning it to the pool. So a group never waits in a pool's queue while it
 * holds a connection, and never holds a connection that no work of the group uses while a sibling waits: under
 * saturation the group's works run one after another on one connection rather than queue behind themselves.
 *
 * <p>A retry elsewhere (a request that excludes a failed node) takes its own connection with {@code acquire}, as a
 * read unit's retry does; a connection that ended with a failure goes back to the router, never to a sibling.
 * Thread-safe: the works of the group call it from their own threads.
 */
final class GroupLeases {
    private final ConnectionRouter router;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handedBack = lock.newCondition();
    /** Leases a finished work handed over, for siblings that wait; never left here once no sibling waits. */
    private final ArrayDeque<Lease> free = new ArrayDeque<>(2);
    /** Leases taken from the router and not yet given back (in use, handed over, or being asked for). */
    private int held;
    private int waiting;
    private int peak;
    private int shared;

    GroupLeases(ConnectionRouter router) {
        this.router = router;
    }

    /**
     * A lease for one work of the group.
     *
     * @throws RuntimeException as {@link ConnectionRouter#acquire}; the work's cancellation when it was cancelled
     *                          while waiting for a sibling's connection
     */
    Lease acquire(RouteRequest request, @Nullable Cancellation cancellation) {
        if (!request.excluded().isEmpty()) {
            return taken(reserveAndAcquire(request));
        }
        lock.lock();
        try {
            while (true) {
                Lease handed = free.poll();
                if (handed != null) {
                    shared++;
                    return new Member(handed);
                }
                if (held == 0) {
                    break; // the group holds nothing: wait in the pool's queue like any read
                }
                held++;
                Lease extra;
                lock.unlock();
                try {
                    extra = router.tryAcquire(request);
                } catch (RuntimeException | Error e) {
                    lock.lock();
                    held--;
                    handedBack.signalAll();
                    throw e;
                }
                lock.lock();
                if (extra != null) {
                    peak = Math.max(peak, held);
                    return new Member(extra);
                }
                held--;
                if (!free.isEmpty() || held == 0) {
                    continue;
                }
                waiting++;
                try {
                    handedBack.await();
                    waiting--;
                } catch (InterruptedException e) {
                    waiting--;
                    releaseUnwanted();
                    if (cancellation != null) {
                        cancellation.check();
                    }
                    Thread.currentThread().interrupt();
                    throw new JunctionException("interrupted while waiting for a connection of its parallel group", e);
                }
            }
        } finally {
            lock.unlock();
        }
        return taken(reserveAndAcquire(request));
    }

    private Lease reserveAndAcquire(RouteRequest request) {
        lock.lock();
        try {
            held++;
        } finally {
            lock.unlock();
        }
        try {
            return router.acquire(request);
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                held--;
                handedBack.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private Lease taken(Lease lease) {
        lock.lock();
        try {
            peak = Math.max(peak, held);
        } finally {
            lock.unlock();
        }
        return new Member(lease);
    }

    /** How the group ran, for its {@link UnitReport}. */
    UnitReport.Group summary(int groupWorks) {
        lock.lock();
        try {
            return new UnitReport.Group(groupWorks, peak, shared);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back any connection still handed over (a waiting sibling was cancelled); called once the group ended. */
    void close() {
        lock.lock();
        try {
            while (!free.isEmpty()) {
                Lease lease = free.poll();
                held--;
                lease.release(null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: once no sibling waits (the last one was cancelled), handed-over leases go back. */
    private void releaseUnwanted() {
        if (waiting == 0) {
            while (!free.isEmpty()) {
                Lease lease = free.poll();
                held--;
                lease.release(null);
            }
        }
    }

    private void handBack(Lease lease, @Nullable Throwable failure) {
        lock.lock();
        try {
            if (failure == null && waiting > 0) {
                free.add(lease);
                handedBack.signalAll();
                return;
            }
            held--;
            handedBack.signalAll(); // a sibling may now take a connection of its own
        } finally {
            lock.unlock();
        }
        lease.release(failure);
    }

    /** One work's use of a lease the group holds; released once, to a waiting sibling or the router. */
    private final class Member implements Lease {
        private final Lease lease;
        private boolean released;

        Member(Lease lease) {
            this.lease = lease;
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
            if (released) {
                throw new IllegalStateException("lease released twice");
            }
            released = true;
            handBack(lease, failure);
        }
    }
}
