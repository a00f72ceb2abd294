package dev.junction.routing.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a standby follows the write target's history, from one check: observation in, judgement out, no I/O and
 * no state (the monitor keeps, per standby, whether it was seen following the current target and on which timeline).
 * Guarantees: a standby seen on a timeline other than the target's is off history and keeps no timeline of the
 * target's; a standby whose timeline is hidden from the monitor is never given one (so no consistency token is judged
 * reached on it); one with no WAL receiver keeps the timeline it was last seen on only while the target has not
 * changed since.
 */
final class Lineage {
    private Lineage() {
    }

    /**
     * @param timeline   the timeline Junction knows the standby to be on, null when unknown
     * @param offHistory why it is not known to follow the target (the words of the router's messages), or null
     * @param confirms   true when this check shows it following the current target: remember the epoch (and the
     *                   timeline, when {@code timeline} is not null)
     * @param hidden     true when it streams WAL but the monitor's role may not see the timeline
     */
    record Judgement(@Nullable Integer timeline, @Nullable String offHistory, boolean confirms, boolean hidden) {
    }

    /**
     * @param seen             the standby's check
     * @param targetTimeline   the write target's timeline, null before a target was seen
     * @param targetName       the write target's name, for messages
     * @param followedSince    whether the standby was seen following the current target (this epoch) before
     * @param lastTimeline     the timeline it was last seen on, or null
     */
    static Judgement standby(Probe.Observation seen, @Nullable Integer targetTimeline, String targetName,
                             boolean followedSince, @Nullable Integer lastTimeline) {
        Objects.requireNonNull(targetName, "targetName");
        Integer timeline = seen.timeline();
        if (timeline != null) {
            if (targetTimeline != null && !timeline.equals(targetTimeline)) {
                return new Judgement(timeline, "on timeline " + timeline + " while the primary '" + targetName
                        + "' is on timeline " + targetTimeline + ": it follows another history; re-point it at the"
                        + " primary (primary_conninfo) or rebuild it", false, false);
            }
            return new Judgement(timeline, null, true, false);
        }
        if (seen.receiving()) {
            // A WAL receiver runs but this role may not see its timeline: assume it follows the primary for plain
            // reads, but never judge a consistency token reached on it (timeline stays null).
            return new Judgement(null, null, true, true);
        }
        if (followedSince) {
            return new Judgement(lastTimeline, null, false, false); // not streaming now, but nothing took over since
        }
        return new Judgement(null, "not seen following the primary '" + targetName + "' (timeline " + targetTimeline
                + ") since it took over: no WAL receiver runs; re-point it at the primary (primary_conninfo) or"
                + " rebuild it", false, false);
    }
}
