package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Slow-replica exclusion (issue 20 item 4): the pure rule, with its hysteresis, and the choice it leads to. */
class SlowReplicasTest {
    private static final long MS = 1_000_000L;

    private static SlowReplicas.Seen seen(String name, long millis, boolean wasSlow) {
        return new SlowReplicas.Seen(name, millis < 0 ? -1 : millis * MS, wasSlow);
    }

    @Test
    void aReplicaFarAbovePeersIsSlowAndOneJustAtTheFactorIsNot() {
        assertThat(SlowReplicas.judge(List.of(seen("a", 2, false), seen("b", 2, false), seen("c", 51, false)), 5))
                .containsExactly("c");
        assertThat(SlowReplicas.judge(List.of(seen("a", 10, false), seen("c", 50, false)), 5))
                .as("exactly 5x is not more than 5x").isEmpty();
    }

    @Test
    void aSmallAbsoluteDifferenceIsNoiseWhateverTheRatio() {
        assertThat(SlowReplicas.judge(List.of(seen("a", 0, false), seen("b", 4, false)), 5)).isEmpty();
        assertThat(SlowReplicas.judge(List.of(seen("a", 0, false), seen("b", 5, false)), 5)).containsExactly("b");
    }

    @Test
    void aSlowReplicaRecoversOnlyAtHalfTheFactor() {
        List<SlowReplicas.Seen> at3x = List.of(seen("a", 10, false), seen("b", 30, true));
        assertThat(SlowReplicas.judge(at3x, 5)).as("still above 2.5x").containsExactly("b");
        assertThat(SlowReplicas.judge(List.of(seen("a", 10, false), seen("b", 30, false)), 5))
                .as("but 3x does not make a fast one slow").isEmpty();
        assertThat(SlowReplicas.judge(List.of(seen("a", 10, false), seen("b", 25, true)), 5)).isEmpty();
    }

    @Test
    void withoutFiguresOrPeersOrWithTheRuleOffNothingIsSlow() {
        assertThat(SlowReplicas.judge(List.of(seen("a", 100, false)), 5)).as("no peer").isEmpty();
        assertThat(SlowReplicas.judge(List.of(seen("a", -1, false), seen("b", 100, false)), 5))
                .as("the peer has no figure").isEmpty();
        assertThat(SlowReplicas.judge(List.of(seen("a", 1, false), seen("b", 100, false)), 0)).as("off").isEmpty();
    }

    @Test
    void theGapToThePeersIsADifferenceNotASum() {
        // 4.5 ms against 0.8 ms: more than 5x, but only 3.7 ms above, which is noise
        List<SlowReplicas.Seen> near = List.of(new SlowReplicas.Seen("a", 800_000, false),
                new SlowReplicas.Seen("b", 4_500_000, false));
        assertThat(SlowReplicas.judge(near, 5)).isEmpty();
    }

    @Test
    void withAnEvenNumberOfPeersTheirMedianIsTheMeanOfTheMiddleTwo() {
        // c's peers answer in 10 and 30 ms: median 20 ms, so 50 ms is more than 2x
        assertThat(SlowReplicas.judge(List.of(seen("a", 10, false), seen("b", 30, false), seen("c", 50, false)), 2))
                .containsExactly("c");
        assertThat(SlowReplicas.judge(List.of(seen("a", 10, false), seen("b", 30, false), seen("c", 40, false)), 2))
                .as("exactly 2x the median").isEmpty();
    }

    @Test
    void messagesShowTheMedianInMillisecondsOrAQuestionMarkWhenUnknown() {
        assertThat(SlowReplicas.millis(12_340_000)).isEqualTo("12.3ms");
        assertThat(SlowReplicas.millis(0)).isEqualTo("0.0ms");
        assertThat(SlowReplicas.millis(-1)).isEqualTo("?");
    }

    @Test
    void readsPreferTheFastReplicasButASlowOneServesWhenNoOtherCan() {
        Fake fast = new Fake("fast", false);
        Fake slow = new Fake("slow", true);
        List<Fake> both = List.of(fast, slow);
        assertThat(SlowReplicas.preferFast(both)).containsExactly(fast);
        List<Fake> onlySlow = List.of(slow);
        assertThat(SlowReplicas.preferFast(onlySlow)).isSameAs(onlySlow);
        List<Fake> none = List.of(fast);
        assertThat(SlowReplicas.preferFast(none)).as("the same list when nothing was skipped").isSameAs(none);
    }

    /** Never every replica slow: with a factor of at least 2, the fastest is never above its peers' median. */
    @Property
    void neverEveryReplicaIsSlow(
            @ForAll @Size(min = 2, max = 8) List<@LongRange(min = 0, max = 2_000) Long> millis,
            @ForAll @Size(min = 8, max = 8) List<Boolean> wasSlow,
            @ForAll @DoubleRange(min = 2, max = 50) double factor) {
        List<SlowReplicas.Seen> replicas = new ArrayList<>();
        for (int i = 0; i < millis.size(); i++) {
            replicas.add(seen("r" + i, millis.get(i), wasSlow.get(i)));
        }
        Set<String> slow = SlowReplicas.judge(replicas, factor);
        assertThat(slow).hasSizeLessThan(replicas.size());
    }

    /**
     * Entering needs more than the factor, leaving needs at most half of it: a replica's verdict over a series of
     * medians (its peers steady) changes only across those bounds.
     */
    @Property
    void theVerdictChangesOnlyAcrossItsBounds(
            @ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 1_000) Long> series,
            @ForAll @LongRange(min = 1, max = 100) long peerMillis,
            @ForAll @DoubleRange(min = 2, max = 20) double factor) {
        boolean slow = false;
        for (long m : series) {
            boolean next = SlowReplicas.judge(List.of(seen("peer", peerMillis, false), seen("x", m, slow)), factor)
                    .contains("x");
            if (!slow && next) {
                assertThat((double) m).as("became slow").isGreaterThan(factor * peerMillis);
            }
            if (slow && !next) {
                assertThat(m <= factor * SlowReplicas.RECOVERY_SHARE * peerMillis || m - peerMillis < 5)
                        .as("recovered at %d ms next to %d ms", m, peerMillis).isTrue();
            }
            slow = next;
        }
    }

    private record Fake(String name, boolean slow) implements Candidate {
        @Override
        public NodeHealth health() {
            return NodeHealth.UNKNOWN;
        }

        @Override
        public boolean breakerBlocks() {
            return false;
        }

        @Override
        public String breakerDescription() {
            return "";
        }

        @Override
        public int outstanding() {
            return 0;
        }
    }
}
