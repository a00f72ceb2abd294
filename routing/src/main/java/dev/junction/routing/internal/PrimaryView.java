package dev.junction.routing.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The monitor's decision, after a round of checks, about where writes go. Immutable; replaced as a whole.
 *
 * @param target    the node writes go to (with fixed roles always the configured primary), or null when none
 * @param timeline  the target's timeline, or the last one seen
 * @param claimants nodes whose last check found them out of recovery, in configuration order
 * @param refusal   why writes are refused now even before the target's own health is looked at (no node in the
 *                  primary role, an unresolved split brain, a configured primary fenced off by a newer timeline)
 * @param epoch     counts changes of (target, timeline); standbys must be seen following the current one
 */
record PrimaryView(@Nullable NodeRuntime target, @Nullable Integer timeline, List<NodeRuntime> claimants,
                   @Nullable String refusal, long epoch) {
    static final PrimaryView NONE = new PrimaryView(null, null, List.of(), null, 0);

    PrimaryView {
        claimants = List.copyOf(claimants);
    }
}
