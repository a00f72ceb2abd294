package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.SelectionStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSelectorTest {

    @Test
    void roundRobinTakesEachReplicaInTurn() {
        ReplicaSelector s = new ReplicaSelector(SelectionStrategy.ROUND_ROBIN);
        List<String> nodes = List.of("a", "b", "c");
        List<String> picks = List.of(s.choose(nodes, n -> 0), s.choose(nodes, n -> 0), s.choose(nodes, n -> 0),
                s.choose(nodes, n -> 0));
        assertThat(picks).containsExactly("a", "b", "c", "a");
    }

    @Test
    void randomSpreadsOverAllReplicas() {
        ReplicaSelector s = new ReplicaSelector(SelectionStrategy.RANDOM);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            hits.merge(s.choose(List.of("a", "b", "c"), n -> 0), 1, Integer::sum);
        }
        assertThat(hits).containsOnlyKeys("a", "b", "c");
        assertThat(hits.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void randomPicksEachReplicaIndependentlyOfThePreviousPick() {
        // Issue 24: an even spread is also what a rotation gives. Independent picks differ from a rotation in their
        // pairs: each of the 9 (previous, next) pairs comes about 1/9 of the time (expected 1000 of 8999 pairs,
        // standard deviation about 30), while a rotation only ever shows a->b, b->c, c->a. The bounds are over ten
        // standard deviations wide: chance does not reach them.
        ReplicaSelector s = new ReplicaSelector(SelectionStrategy.RANDOM);
        List<String> nodes = List.of("a", "b", "c");
        Map<String, Integer> pairs = new HashMap<>();
        String previous = s.choose(nodes, n -> 0);
        for (int i = 0; i < 8999; i++) {
            String next = s.choose(nodes, n -> 0);
            pairs.merge(previous + next, 1, Integer::sum);
            previous = next;
        }
        assertThat(pairs).containsOnlyKeys("aa", "ab", "ac", "ba", "bb", "bc", "ca", "cb", "cc");
        assertThat(pairs.values()).allSatisfy(n -> assertThat(n).isBetween(650, 1350));
    }

    @Test
    void leastOutstandingPicksTheLeastBusyAndRotatesTies() {
        ReplicaSelector s = new ReplicaSelector(SelectionStrategy.LEAST_OUTSTANDING);
        Map<String, Integer> load = Map.of("a", 5, "b", 1, "c", 1);
        List<String> nodes = List.of("a", "b", "c");
        assertThat(List.of(s.choose(nodes, load::get), s.choose(nodes, load::get)))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(s.choose(List.of("a", "b"), Map.of("a", 0, "b", 3)::get)).isEqualTo("a");
    }

    @Test
    void aSingleCandidateIsAlwaysChosen() {
        for (SelectionStrategy strategy : SelectionStrategy.values()) {
            assertThat(new ReplicaSelector(strategy).choose(List.of("only"), n -> 9)).isEqualTo("only");
        }
    }
}
