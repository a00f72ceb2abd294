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
