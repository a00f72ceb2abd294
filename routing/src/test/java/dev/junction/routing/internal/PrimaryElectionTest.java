package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.SplitBrainPolicy;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Who takes writes, from the nodes' last checks alone (issue 20). */
class PrimaryElectionTest {

    static PrimaryElection.Seen<String> primary(String name, @Nullable Integer timeline) {
        return new PrimaryElection.Seen<>(name, name, new Probe.Observation(false, 100L, null, timeline, true), null);
    }

    static PrimaryElection.Seen<String> standby(String name) {
        return new PrimaryElection.Seen<>(name, name, new Probe.Observation(true, 100L, null, 1, true), null);
    }

    static PrimaryElection.Seen<String> down(String name) {
        return new PrimaryElection.Seen<>(name, name, null, "SQLState 08001: Connection refused");
    }

    private static PrimaryElection.Verdict<String> discover(SplitBrainPolicy policy,
                                                            List<PrimaryElection.Seen<String>> seen) {
        return PrimaryElection.decide(seen, null, policy);
    }

    @Test
    void withDiscoveredRolesTheOneNodeOutOfRecoveryTakesWrites() {
        var v = discover(SplitBrainPolicy.NEWEST_TIMELINE, List.of(standby("a"), primary("b", 2), down("c")));
        assertThat(v.target()).isEqualTo("b");
        assertThat(v.refusal()).isNull();
        assertThat(v.claimants()).containsExactly("b");
    }

    @Test
    void withDiscoveredRolesAndNoPrimaryWritesAreRefusedNamingEachNodesState() {
        var v = discover(SplitBrainPolicy.NEWEST_TIMELINE, List.of(standby("a"), down("b")));
        assertThat(v.target()).isNull();
        assertThat(v.refusal()).isEqualTo("no node is in the primary role ('a' is in recovery, 'b' is down:"
                + " SQLState 08001: Connection refused); a failover may be in progress");
    }

    @Test
    void withFixedRolesTheConfiguredPrimaryIsTheTargetEvenWhileItIsDownOrAStandby() {
        var v = PrimaryElection.decide(List.of(down("p"), standby("r")), "p", SplitBrainPolicy.NEWEST_TIMELINE);
        assertThat(v.target()).isEqualTo("p");
        assertThat(v.refusal()).as("its own health refuses the writes, not the election").isNull();
    }

    @Test
    void aSplitBrainIsResolvedByTheStrictlyNewestTimeline() {
        var v = discover(SplitBrainPolicy.NEWEST_TIMELINE, List.of(primary("a", 2), primary("b", 3)));
        assertThat(v.target()).isEqualTo("b");
        assertThat(v.acceptsWrites()).isTrue();
        assertThat(v.claimants()).containsExactly("a", "b");
    }

    @Test
    void aSplitBrainOnOneTimelineOrWithUnknownTimelinesRefusesWrites() {
        var tie = discover(SplitBrainPolicy.NEWEST_TIMELINE, List.of(primary("a", 3), primary("b", 3)));
        assertThat(tie.target()).isNull();
        assertThat(tie.refusal()).isEqualTo("split brain: nodes 'a' (timeline 3) and 'b' (timeline 3) both claim the"
                + " primary role (pg_is_in_recovery() = false) and no single one is on the newest timeline; writes are"
                + " refused so that they never reach two of them (splitBrain: newest-timeline). Fence or demote all"
                + " but one");
        var unknown = discover(SplitBrainPolicy.NEWEST_TIMELINE, List.of(primary("a", null), primary("b", null)));
        assertThat(unknown.acceptsWrites()).isFalse();
    }

    @Test
    void theRefusePolicyRefusesWritesInEverySplitBrain() {
        var v = discover(SplitBrainPolicy.REFUSE_WRITES, List.of(primary("a", 2), primary("b", 3), primary("c", 1)));
        assertThat(v.acceptsWrites()).isFalse();
        assertThat(v.refusal()).startsWith("split brain: nodes 'a' (timeline 2), 'b' (timeline 3), 'c' (timeline 1)"
                + " all claim the primary role").contains("(splitBrain: refuse-writes)");
    }

    @Test
    void withFixedRolesANewerTimelineOnAnotherNodeFencesTheConfiguredPrimary() {
        var v = PrimaryElection.decide(List.of(primary("p", 1), primary("r", 2)), "p",
                SplitBrainPolicy.NEWEST_TIMELINE);
        assertThat(v.target()).isEqualTo("p");
        assertThat(v.acceptsWrites()).isFalse();
        assertThat(v.refusal()).contains("the newest timeline is on 'r', not on the configured primary 'p'");
        var kept = PrimaryElection.decide(List.of(primary("p", 2), primary("r", 1)), "p",
                SplitBrainPolicy.NEWEST_TIMELINE);
        assertThat(kept.acceptsWrites()).as("the configured primary is on the newest timeline").isTrue();
    }
}
