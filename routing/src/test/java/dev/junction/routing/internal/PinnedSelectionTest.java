package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.SelectionStrategy;
import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pinned replica keeps a unit's reads while it is eligible; otherwise the strategy chooses (issues 17, 24). */
class PinnedSelectionTest {
    private static final NodeHealth STANDBY = new NodeHealth(true, true, Role.REPLICA, 1L, 0L,
            Duration.ZERO, null, false, Instant.now(), null, 1, null);
    private static final List<EligibilityTest.Node> NODES = List.of(node("a"), node("b"), node("c"));

    private static EligibilityTest.Node node(String name) {
        return new EligibilityTest.Node(name, STANDBY, false, "", 0);
    }

    @Test
    void aPinnedReplicaAmongTheCandidatesIsChosenEveryTimeWhateverTheStrategy() {
        for (SelectionStrategy strategy : SelectionStrategy.values()) {
            PinnedSelection selection = new PinnedSelection(new ReplicaSelector(strategy));
            for (int i = 0; i < 30; i++) {
                EligibilityTest.Node chosen = selection.choose("b", NODES);
                assertThat(chosen.name()).as(strategy + ", call " + i).isEqualTo("b");
                assertThat(PinnedSelection.isPinned("b", chosen)).isTrue();
            }
        }
    }

    @Test
    void withoutAnEligiblePinnedReplicaTheStrategyChoosesAmongAllCandidates() {
        PinnedSelection selection = new PinnedSelection(new ReplicaSelector(SelectionStrategy.ROUND_ROBIN));
        Set<String> unpinned = new HashSet<>();
        Set<String> pinnedElsewhere = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            unpinned.add(selection.choose(null, NODES).name());
            EligibilityTest.Node chosen = selection.choose("gone", NODES);
            pinnedElsewhere.add(chosen.name());
            assertThat(PinnedSelection.isPinned("gone", chosen)).isFalse();
        }
        assertThat(unpinned).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(pinnedElsewhere).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(PinnedSelection.isPinned(null, NODES.get(0))).isFalse();
    }
}
