package dev.junction.routing.internal;

/**
 * How long one replica has recently needed to replay a fresh token, learnt from the token reads' own waits, so that a
 * read does not sit out {@code consistency.maxWait} where waiting cannot help: a paused replica, or a primary with
 * {@code synchronous_commit = off}, whose commits reach the WAL (and the replicas) only at the WAL writer's pace.
 * A wait that reached the position counts with the time it took, one that ran out as twice its bound; the estimate is
 * a moving average of both (weight 1/4 for the newest). While the estimate exceeds the time a read may still wait, reads skip
 * the replica, except one every {@link #PROBE_NANOS}, which keeps the estimate current. Pure logic: the caller passes
 * the clock. Thread-safe.
 */
final class ReplayEstimate {
    /** At most this long between two waits on a replica the estimate advises against. */
    static final long PROBE_NANOS = 1_000_000_000L;

    private long estimateNanos;
    private long lastWaitNanos;
    private boolean waited;

    /** Whether a read with {@code remainingNanos} left should wait on this replica, at {@code now}. */
    synchronized boolean worthWaiting(long remainingNanos, long now) {
        if (!waited || estimateNanos <= remainingNanos || now - lastWaitNanos >= PROBE_NANOS) {
            lastWaitNanos = now;
            waited = true;
            return true;
        }
        return false;
    }

    /** A wait reached the position after {@code nanos}. */
    synchronized void reached(long nanos) {
        estimateNanos += (nanos - estimateNanos) / 4;
    }

    /**
     * A wait of {@code boundNanos} ran out: a sample of twice the bound in the same moving average. Not a jump to it:
     * one slow replay (a checkpoint, a hiccup) must not shut a healthy replica out of token reads for seconds, as it
     * did in CI (176 of 300 reads sent to the primary after one); a paused replica is skipped after three in a row.
     */
    synchronized void ranOut(long boundNanos) {
        estimateNanos += (2 * boundNanos - estimateNanos) / 4;
    }

    synchronized long estimateNanos() {
        return estimateNanos;
    }
}
