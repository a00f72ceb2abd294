package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.routing.SelectionStrategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selection at its edges: nothing eligible, a single candidate, and busier candidates listed after idle ones. */
class ReplicaSelectorEdgesTest {

    @Test
    void anEmptyCandidateListIsAProgrammingErrorForEveryStrategy() {
        for (SelectionStrategy strategy : SelectionStrategy.values()) {
            assertThatThrownBy(() -> new ReplicaSelector(strategy).choose(List.of(), n -> 0)).as(strategy.name())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("eligible must not be empty");
        }
    }

    @Test
    void aSingleCandidateIsTakenWithoutAskingForItsOutstandingLeases() {
        ReplicaSelector selector = new ReplicaSelector(SelectionStrategy.LEAST_OUTSTANDING);
        assertThat(selector.choose(List.of("only"), n -> {
            throw new AssertionError("outstanding leases looked up for the only candidate");
        })).isEqualTo("only");
    }

    @Test
    void leastOutstandingNeverPicksABusierCandidateListedAfterTheIdlestOne() {
        ReplicaSelector selector = new ReplicaSelector(SelectionStrategy.LEAST_OUTSTANDING);
        Map<String, Integer> load = Map.of("idle", 1, "busy", 5, "busier", 9);
        List<String> nodes = List.of("idle", "busy", "busier");
        for (int i = 0; i < 6; i++) {
            assertThat(selector.choose(nodes, load::get)).isEqualTo("idle");
        }
    }
}
