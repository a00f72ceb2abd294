package dev.junction.routing.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which replicas are slow: a replica whose median response time ({@link ResponseTimes}) is more than {@code factor}
 * times the median of its peers' medians, and at least {@link #MIN_GAP_NANOS} above it, is slow; a slow one recovers
 * only once it is at most {@code factor x} {@link #RECOVERY_SHARE} times its peers' (hysteresis), so it does not flap
 * around the threshold. Reads then prefer the other replicas ({@link #preferFast}): a slow replica serves only when no
 * other replica can. Pure: observations in, verdict out.
 *
 * <p>Guarantees: a replica without a figure, or without a peer that has one, is never slow; a replica at or below
 * {@code factor x} its peers' median never becomes slow; a slow one stays slow until at most {@code factor x 0.5} its
 * peers' median; with {@code factor >= 2} never every replica of two or more with figures is slow (the fastest one
 * is at most its peers' median), so {@link #preferFast} always leaves some; {@code factor} 0 switches the rule off.
 */
final class SlowReplicas {
    /** A slow replica recovers at this share of the factor: with the default 5, once at most 2.5x its peers. */
    static final double RECOVERY_SHARE = 0.5;
    /** Differences below this are noise whatever the ratio (a replica at 1 ms next to peers at 0.1 ms is fine). */
    static final long MIN_GAP_NANOS = 5_000_000L;

    private SlowReplicas() {
    }

    /**
     * One replica as the rule sees it.
     *
     * @param name        the node's name
     * @param medianNanos its median response time, -1 when unknown (no recent sample)
     * @param wasSlow     its verdict after the previous judgement
     */
    record Seen(String name, long medianNanos, boolean wasSlow) {
    }

    /** The names of the replicas that are slow now, among those serving as replicas now. */
    static Set<String> judge(List<Seen> replicas, double factor) {
        Set<String> slow = new HashSet<>();
        if (factor <= 0) {
            return slow;
        }
        for (Seen r : replicas) {
            if (r.medianNanos() < 0) {
                continue;
            }
            long[] peers = replicas.stream().filter(p -> p != r && p.medianNanos() >= 0)
                    .mapToLong(Seen::medianNanos).sorted().toArray();
            if (peers.length == 0) {
                continue;
            }
            long peer = median(peers);
            double limit = r.wasSlow() ? factor * RECOVERY_SHARE : factor;
            if (r.medianNanos() > limit * peer && r.medianNanos() - peer >= MIN_GAP_NANOS) {
                slow.add(r.name());
            }
        }
        return slow;
    }

    /**
     * The candidates a read should choose from: {@code eligible} without its slow replicas when at least one other
     * remains, else {@code eligible} itself (the same list, so a caller can tell whether a slow one was skipped).
     */
    static <T extends Candidate> List<T> preferFast(List<T> eligible) {
        boolean anySlow = false;
        boolean anyFast = false;
        for (T c : eligible) {
            if (c.slow()) {
                anySlow = true;
            } else {
                anyFast = true;
            }
        }
        if (!anySlow || !anyFast) {
            return eligible;
        }
        List<T> fast = new ArrayList<>(eligible.size());
        for (T c : eligible) {
            if (!c.slow()) {
                fast.add(c);
            }
        }
        return fast;
    }

    private static long median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + (sorted[n / 2] - sorted[n / 2 - 1]) / 2;
    }

    /** For messages: a median in milliseconds with one decimal. */
    static String millis(long nanos) {
        return nanos < 0 ? "?" : String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
}
