package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.SplitBrainPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The election's invariants over arbitrary observations of up to five nodes (issue 20): writes never reach two
 * primaries, whatever the nodes answered and in whatever order they are configured.
 */
class PrimaryElectionPropertiesTest {

    @Provide
    Arbitrary<List<PrimaryElection.Seen<String>>> cluster() {
        Arbitrary<Integer> state = Arbitraries.integers().between(0, 2); // 0 down, 1 standby, 2 out of recovery
        Arbitrary<Integer> timeline = Arbitraries.integers().between(1, 4).injectNull(0.15);
        Arbitrary<int[]> node = Combinators.combine(state, timeline).as((s, t) -> new int[] {s, t == null ? 0 : t});
        return node.list().ofMinSize(1).ofMaxSize(5).map(PrimaryElectionPropertiesTest::seen);
    }

    private static List<PrimaryElection.Seen<String>> seen(List<int[]> nodes) {
        List<PrimaryElection.Seen<String>> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String name = "n" + i;
            int[] n = nodes.get(i);
            Integer timeline = n[1] == 0 ? null : n[1];
            out.add(n[0] == 0 ? new PrimaryElection.Seen<>(name, name, null, "down")
                    : new PrimaryElection.Seen<>(name, name,
                            new Probe.Observation(n[0] == 1, 10L, null, timeline, true), null));
        }
        return out;
    }

    private static List<PrimaryElection.Seen<String>> claimants(List<PrimaryElection.Seen<String>> seen) {
        return seen.stream().filter(PrimaryElection.Seen::claimsPrimary).toList();
    }

    @Property
    void writesAcceptedDuringASplitBrainGoOnlyToTheClaimantOnAStrictlyNewerTimelineThanEveryOther(
            @ForAll("cluster") List<PrimaryElection.Seen<String>> seen, @ForAll SplitBrainPolicy policy,
            @ForAll boolean discover) {
        String configured = discover ? null : seen.get(0).node();
        PrimaryElection.Verdict<String> v = PrimaryElection.decide(seen, configured, policy);
        List<PrimaryElection.Seen<String>> claimants = claimants(seen);
        if (!v.acceptsWrites() || claimants.size() < 2) {
            return;
        }
        assertThat(policy).isEqualTo(SplitBrainPolicy.NEWEST_TIMELINE);
        PrimaryElection.Seen<String> chosen = claimants.stream().filter(s -> s.node().equals(v.target()))
                .findFirst().orElseThrow(() -> new AssertionError("target " + v.target() + " is no claimant"));
        assertThat(chosen.timeline()).isNotNull();
        for (PrimaryElection.Seen<String> other : claimants) {
            if (other != chosen) {
                assertThat(other.timeline() == null || other.timeline() < chosen.timeline())
                        .as("%s accepted while %s also claims the role", v.target(), other.name()).isTrue();
            }
        }
    }

    @Property
    void withDiscoveredRolesWritesGoOnlyToANodeThatClaimsThePrimaryRole(
            @ForAll("cluster") List<PrimaryElection.Seen<String>> seen, @ForAll SplitBrainPolicy policy) {
        PrimaryElection.Verdict<String> v = PrimaryElection.decide(seen, null, policy);
        List<String> claimants = claimants(seen).stream().map(PrimaryElection.Seen::node).toList();
        assertThat(v.claimants()).isEqualTo(claimants);
        if (v.acceptsWrites()) {
            assertThat(claimants).contains(v.target());
        } else {
            assertThat(v.refusal()).isNotNull();
        }
        if (claimants.size() >= 2 && policy == SplitBrainPolicy.REFUSE_WRITES) {
            assertThat(v.acceptsWrites()).isFalse();
        }
    }

    @Property
    void appInstancesThatListTheNodesInAnotherOrderChooseTheSameTarget(
            @ForAll("cluster") List<PrimaryElection.Seen<String>> seen, @ForAll SplitBrainPolicy policy,
            @ForAll long seed) {
        List<PrimaryElection.Seen<String>> shuffled = new ArrayList<>(seen);
        Collections.shuffle(shuffled, new Random(seed));
        PrimaryElection.Verdict<String> a = PrimaryElection.decide(seen, null, policy);
        PrimaryElection.Verdict<String> b = PrimaryElection.decide(shuffled, null, policy);
        assertThat(b.acceptsWrites()).isEqualTo(a.acceptsWrites());
        if (a.acceptsWrites()) {
            assertThat(Objects.requireNonNull(b.target())).isEqualTo(a.target());
        }
    }
}
