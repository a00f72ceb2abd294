package dev.junction.routing.internal;

import dev.junction.ConsistencyToken;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The highest replay position each replica has shown to a token read (its checks of {@code pg_last_wal_replay_lsn()}),
 * next to the monitor's, so that a token read finds a replica known to have replayed the token without asking: the
 * monitor looks every {@code monitor.interval}, the reads far more often. A position counts only on the timeline it
 * was shown on, and only while the monitor has not since seen the replica down or behind it (a rebuilt replica can
 * start again from an older position of the same timeline). With each replica's {@link ReplayEstimate}. Thread-safe.
 */
final class ReplayPositions {
    private record Shown(int timeline, long lsn, Instant at) {
    }

    private final Map<NodeRuntime, AtomicReference<@Nullable Shown>> shown = new IdentityHashMap<>();
    private final Map<NodeRuntime, ReplayEstimate> estimates = new IdentityHashMap<>();

    ReplayPositions(List<NodeRuntime> replicas) {
        for (NodeRuntime r : replicas) {
            shown.put(r, new AtomicReference<>());
            estimates.put(r, new ReplayEstimate());
        }
    }

    ReplayEstimate estimate(NodeRuntime replica) {
        return estimates.get(replica);
    }

    /** A check on {@code replica} read replay position {@code lsn} while it streamed {@code timeline}. */
    void shown(NodeRuntime replica, int timeline, long lsn) {
        AtomicReference<@Nullable Shown> ref = shown.get(replica);
        if (ref == null) {
            return;
        }
        Shown next = new Shown(timeline, lsn, Instant.now());
        ref.updateAndGet(s -> s == null || s.timeline() != timeline || Long.compareUnsigned(lsn, s.lsn()) >= 0
                ? next : s);
    }

    /** Whether {@code replica} has shown a read the token's position on the token's timeline. */
    boolean reached(NodeRuntime replica, ConsistencyToken token) {
        Shown s = current(replica);
        return s != null && s.timeline() == token.timeline() && Long.compareUnsigned(s.lsn(), token.lsn()) >= 0;
    }

    /** The furthest position known for {@code replica} on {@code timeline}, from the reads or the monitor, or 0. */
    long position(NodeRuntime replica, int timeline) {
        long best = 0;
        Shown s = current(replica);
        if (s != null && s.timeline() == timeline) {
            best = s.lsn();
        }
        NodeHealth h = replica.health();
        Integer tl = h.timeline();
        Long lsn = h.lsn();
        if (tl != null && tl == timeline && lsn != null && Long.compareUnsigned(lsn, best) > 0) {
            best = lsn;
        }
        return best;
    }

    /** The shown position, dropped once the monitor has since found the replica down, or behind it, or elsewhere. */
    private @Nullable Shown current(NodeRuntime replica) {
        AtomicReference<@Nullable Shown> ref = shown.get(replica);
        if (ref == null) {
            return null;
        }
        Shown s = ref.get();
        if (s == null) {
            return null;
        }
        NodeHealth h = replica.health();
        Instant checked = h.checkedAt();
        boolean newerCheck = checked != null && checked.isAfter(s.at());
        boolean contradicted = !h.up() || (newerCheck && (h.timeline() == null || h.timeline() != s.timeline()
                || h.lsn() == null || Long.compareUnsigned(h.lsn(), s.lsn()) < 0));
        if (contradicted) {
            ref.compareAndSet(s, null);
            return null;
        }
        return s;
    }
}
