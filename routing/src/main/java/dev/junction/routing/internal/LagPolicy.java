package dev.junction.routing.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a replica is excluded for lag, with hysteresis: a replica enters exclusion when its lag exceeds a
 * limit and leaves it only when its lag is below {@code hysteresis x limit} again. A replica 0 bytes behind the primary
 * is never lagging, whatever its last replay timestamp says (that timestamp stops moving while the primary is idle).
 * Immutable and thread-safe.
 *
 * @param maxLag     the time limit
 * @param maxBytes   the optional WAL bytes limit
 * @param hysteresis fraction of the limits below which an excluded replica re-enters
 */
public record LagPolicy(Duration maxLag, @Nullable Long maxBytes, double hysteresis) {

    /**
     * @param wasExcluded the replica's state after the previous observation
     * @param lagBytes    WAL bytes not yet replayed, or null when unknown (no primary position known yet)
     * @param lag         estimated staleness, or null when unknown
     * @return whether the replica is excluded now; unchanged when both figures are unknown
     */
    public boolean excluded(boolean wasExcluded, @Nullable Long lagBytes, @Nullable Duration lag) {
        if (lagBytes != null && lagBytes == 0) {
            return false;
        }
        if (lagBytes == null && lag == null) {
            return wasExcluded;
        }
        if (wasExcluded) {
            boolean timeBelow = lag == null || lag.toNanos() < maxLag.toNanos() * hysteresis;
            boolean bytesBelow = maxBytes == null || lagBytes == null || lagBytes < maxBytes * hysteresis;
            return !(timeBelow && bytesBelow);
        }
        boolean timeOver = lag != null && lag.compareTo(maxLag) > 0;
        boolean bytesOver = maxBytes != null && lagBytes != null && lagBytes > maxBytes;
        return timeOver || bytesOver;
    }

    /** Words for a message: the limits and the re-entry thresholds. */
    public String describeLimits() {
        String s = "maxReplicaLag " + Durations.format(maxLag);
        if (maxBytes != null) {
            s += ", maxReplicaLagBytes " + maxBytes;
        }
        return s + "; re-enters below " + Math.round(hysteresis * 100) + "% of the limit";
    }
}
