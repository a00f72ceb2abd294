package dev.junction.routing.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which of the eligible replicas serves a read: the pinned one (the node a sibling of the same unit already uses,
 * so the whole unit sees one replica's state) while it is among them, else one by the selection strategy. The one
 * place this choice is made, for plain reads and reads after a token alike. Thread-safe.
 */
final class PinnedSelection {
    private final ReplicaSelector selector;

    PinnedSelection(ReplicaSelector selector) {
        this.selector = selector;
    }

    /**
     * @param pinned     the request's pinned node, or null
     * @param candidates non-empty, in configuration order
     */
    <T extends Candidate> T choose(@Nullable String pinned, List<T> candidates) {
        // No null check of its own: a null pin equals no name, so the loop falls through to the strategy.
        for (T candidate : candidates) {
            if (candidate.name().equals(pinned)) {
                return candidate;
            }
        }
        return selector.choose(candidates, Candidate::outstanding, Candidate::weight, Candidate::latencyNanos);
    }

    /** Whether {@code chosen} is the request's pinned node. */
    static boolean isPinned(@Nullable String pinned, Candidate chosen) {
        return chosen.name().equals(pinned);
    }
}
