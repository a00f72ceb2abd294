package dev.junction.routing.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Recent samples of the primary's insert position with the time they were taken, to turn a replica's replay
 * position into a staleness estimate: a replica that has replayed the position the primary had at time {@code t}
 * holds every change made up to {@code t}, so it is at most {@code now - t} behind. Unlike
 * {@code now() - pg_last_xact_replay_timestamp()} this does not grow while the primary is idle. Not thread-safe:
 * confined to the monitor thread.
 */
public final class PrimaryHistory {
    private record Sample(long nanos, long lsn) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final int capacity;

    /** @param capacity samples kept; older ones are dropped */
    public PrimaryHistory(int capacity) {
        this.capacity = Math.max(2, capacity);
    }

    public void add(long nanos, long lsn) {
        Sample last = samples.peekLast();
        if (last != null && Long.compareUnsigned(lsn, last.lsn) < 0) {
            samples.clear(); // a new primary or a restore: the old positions mean nothing
        }
        samples.addLast(new Sample(nanos, lsn));
        while (samples.size() > capacity) {
            samples.removeFirst();
        }
    }

    /**
     * Forgets every sample: after the write target moved to another node or timeline, or came back from an outage,
     * the old positions say nothing about replicas' staleness, which is measured again from the next sample on.
     */
    public void clear() {
        samples.clear();
    }

    /** The newest primary position, or null before the first sample. */
    public @Nullable Long latest() {
        Sample last = samples.peekLast();
        return last == null ? null : last.lsn;
    }

    /** WAL bytes the replica has not replayed, or null before the first primary sample. */
    public @Nullable Long bytesBehind(long replayLsn) {
        Long latest = latest();
        return latest == null ? null : Lsn.bytesBehind(latest, replayLsn);
    }

    /**
     * Estimated staleness of a replica at {@code replayLsn}: zero when it has everything the newest sample had,
     * otherwise the age of the newest sample it has reached (or of the oldest sample when it has reached none).
     * Null before the first sample.
     */
    public @Nullable Duration lag(long replayLsn, long nowNanos) {
        Sample last = samples.peekLast();
        if (last == null) {
            return null;
        }
        if (Long.compareUnsigned(replayLsn, last.lsn) >= 0) {
            return Duration.ZERO;
        }
        // Newest first: stop at the first sample the replica has reached; when it has reached none, the walk ends at
        // the oldest sample, whose age is then the bound.
        Iterator<Sample> newestFirst = samples.descendingIterator();
        long since = last.nanos;
        while (newestFirst.hasNext()) {
            Sample s = newestFirst.next();
            since = s.nanos;
            if (Long.compareUnsigned(s.lsn, replayLsn) <= 0) {
                break;
            }
        }
        return Duration.ofNanos(Math.max(0, nowNanos - since));
    }
}
