package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ClusterHealth;
import dev.junction.ClusterHealth.Node;
import dev.junction.ClusterHealth.State;
import dev.junction.routing.FallbackPolicy;
import dev.junction.spi.Role;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Issue 19: the UP / DEGRADED / DOWN rule, from node details alone. */
class HealthRuleTest {
    private static final Node PRIMARY = node("main", Role.PRIMARY, null);
    private static final Node R1 = node("r1", Role.REPLICA, null);
    private static final Node R2 = node("r2", Role.REPLICA, null);

    private static Node node(String name, Role role, @Nullable String problem) {
        return new Node(name, "jdbc:postgresql://" + name + ":5432/app", role, role, problem == null, problem == null,
                role == Role.REPLICA ? Duration.ZERO : null, role == Role.REPLICA ? 0L : null, null, problem);
    }

    private static ClusterHealth verdict(List<Node> nodes) {
        return HealthRule.verdict(nodes, null, FallbackPolicy.PRIMARY);
    }

    @Test
    void everyNodeEligibleIsUpWithoutReasons() {
        ClusterHealth h = verdict(List.of(PRIMARY, R1, R2));
        assertThat(h.state()).isEqualTo(State.UP);
        assertThat(h.reasons()).isEmpty();
        assertThat(h.nodes()).containsExactly(PRIMARY, R1, R2);
    }

    @Test
    void aPrimaryWithoutReplicasIsUp() {
        assertThat(verdict(List.of(PRIMARY)).state()).isEqualTo(State.UP);
    }

    @Test
    void aReplicaThatServesNoReadsDegradesNamingItAndWhy() {
        ClusterHealth h = verdict(List.of(PRIMARY, node("r1", Role.REPLICA, "down (Connection refused)"), R2));
        assertThat(h.state()).isEqualTo(State.DEGRADED);
        assertThat(h.reasons()).containsExactly("replica 'r1' serves no reads: down (Connection refused)");
    }

    @Test
    void noEligibleReplicaSaysWhereReadsGoByTheFallbackPolicy() {
        List<Node> nodes = List.of(PRIMARY, node("r1", Role.REPLICA, "lagging 1 bytes / 9s behind the primary"));
        assertThat(verdict(nodes).state()).isEqualTo(State.DEGRADED);
        assertThat(verdict(nodes).reasons()).containsExactly(
                "replica 'r1' serves no reads: lagging 1 bytes / 9s behind the primary",
                "no replica is eligible: reads run on the primary (fallback: primary)");
        assertThat(HealthRule.verdict(nodes, null, FallbackPolicy.FAIL).reasons()).last()
                .isEqualTo("no replica is eligible: reads fail with NoEligibleReplicaException (fallback: fail)");
    }

    @Test
    void aPrimaryThatMayNotTakeWritesIsDownWhateverTheReplicas() {
        ClusterHealth h = verdict(List.of(node("main", Role.PRIMARY, "is down (Connection refused)"), R1,
                node("r2", Role.REPLICA, "down (Connection refused)")));
        assertThat(h.state()).isEqualTo(State.DOWN);
        assertThat(h.reasons()).containsExactly(
                "writes are refused: the primary 'main' is down (Connection refused)",
                "replica 'r2' serves no reads: down (Connection refused)");
    }

    @Test
    void writesRefusedByTheRouterAreDownEvenWithAnEligibleLookingNode() {
        ClusterHealth h = HealthRule.verdict(List.of(PRIMARY, R1), "split brain: 'a', 'b' claim the primary role",
                FallbackPolicy.PRIMARY);
        assertThat(h.state()).isEqualTo(State.DOWN);
        assertThat(h.reasons()).containsExactly("writes are refused: split brain: 'a', 'b' claim the primary role");
    }

    @Test
    void noNodeInThePrimaryRoleIsDown() {
        ClusterHealth h = verdict(List.of(R1, R2));
        assertThat(h.state()).isEqualTo(State.DOWN);
        assertThat(h.reasons()).containsExactly("writes are refused: no node is the primary");
    }
}
