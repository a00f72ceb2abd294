package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConsistencyToken;
import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.jspecify.annotations.Nullable;

/**
 * The invariants of replica eligibility over arbitrary observations (issue 20): lag exclusion with hysteresis, the
 * token rule, and the standby-history rule.
 */
class ReplicaEligibilityPropertiesTest {

    record Sample(@Nullable Long bytes, @Nullable Duration lag) {
    }

    @Provide
    Arbitrary<List<Sample>> samples() {
        Arbitrary<Long> bytes = Arbitraries.longs().between(0, 20_000).injectNull(0.1);
        Arbitrary<Duration> lag = Arbitraries.longs().between(0, 20_000).map(Duration::ofMillis).injectNull(0.1);
        return bytes.flatMap(b -> lag.map(l -> new Sample(b, l))).list().ofMaxSize(40);
    }

    @Property
    void anExcludedReplicaReturnsOnlyBelowTheHysteresisBoundOrZeroBytesBehind(
            @ForAll("samples") List<Sample> samples, @ForAll @LongRange(min = 1, max = 10_000) long maxLagMillis,
            @ForAll @LongRange(min = 1, max = 10_000) long maxBytes, @ForAll boolean bytesLimit,
            @ForAll @DoubleRange(min = 0.05, max = 1.0) double hysteresis) {
        LagPolicy policy = new LagPolicy(Duration.ofMillis(maxLagMillis), bytesLimit ? maxBytes : null, hysteresis);
        boolean excluded = false;
        for (Sample s : samples) {
            boolean next = policy.excluded(excluded, s.bytes(), s.lag());
            if (excluded && !next) {
                boolean zeroBehind = s.bytes() != null && s.bytes() == 0;
                boolean timeBelow = s.lag() != null && s.lag().toNanos() < maxLagMillis * 1_000_000L * hysteresis;
                boolean bytesBelow = !bytesLimit || s.bytes() == null || s.bytes() < maxBytes * hysteresis;
                assertThat(zeroBehind || (s.lag() == null || timeBelow) && bytesBelow && (s.bytes() != null
                        || s.lag() != null)).as("readmitted at %s", s).isTrue();
            }
            if (!excluded && next) {
                boolean timeOver = s.lag() != null && s.lag().toMillis() > maxLagMillis;
                boolean bytesOver = bytesLimit && s.bytes() != null && s.bytes() > maxBytes;
                assertThat(timeOver || bytesOver).as("excluded at %s", s).isTrue();
            }
            excluded = next;
        }
    }

    private static NodeHealth standby(@Nullable Long lsn, @Nullable Integer timeline) {
        return new NodeHealth(true, true, Role.REPLICA, lsn, 0L, Duration.ZERO, null, false, Instant.EPOCH, null,
                timeline, null);
    }

    @Property
    void aTokenReadNeverGoesToAReplicaBehindTheTokenOrOnAnotherTimeline(
            @ForAll @LongRange(min = 0, max = 1_000) long replayed, @ForAll boolean replayKnown,
            @ForAll @IntRange(min = 1, max = 3) int timeline, @ForAll boolean timelineKnown,
            @ForAll @LongRange(min = 0, max = 1_000) long tokenLsn, @ForAll @IntRange(min = 1, max = 3) int tokenTimeline,
            @ForAll boolean highBit) {
        // The high bit makes the positions "negative" as signed longs: they compare unsigned, like WAL positions.
        long offset = highBit ? Long.MIN_VALUE : 0;
        EligibilityTest.Node node = new EligibilityTest.Node("r1", standby(replayKnown ? replayed + offset : null,
                timelineKnown ? timeline : null), false, "", 0);
        ConsistencyToken token = ConsistencyToken.of(42, tokenTimeline, tokenLsn + offset, Instant.EPOCH);
        if (Eligibility.token(node, token) == null) {
            assertThat(timelineKnown && timeline == tokenTimeline).as("on the token's timeline").isTrue();
            assertThat(replayKnown && replayed >= tokenLsn).as("replayed the token's position").isTrue();
        } else {
            assertThat(timelineKnown && timeline == tokenTimeline && replayKnown && replayed >= tokenLsn)
                    .as("a replica that holds the token is refused").isFalse();
        }
    }

    @Property
    void aStandbySeenOnAnotherTimelineThanThePrimaryIsOffHistoryAndAHiddenTimelineIsNeverAssumed(
            @ForAll @IntRange(min = 1, max = 3) int seen, @ForAll boolean timelineVisible, @ForAll boolean receiving,
            @ForAll @IntRange(min = 1, max = 3) int primary, @ForAll boolean followedSince,
            @ForAll @IntRange(min = 1, max = 3) int last) {
        Probe.Observation o = new Probe.Observation(true, 5L, null, timelineVisible ? seen : null, receiving);
        Lineage.Judgement j = Lineage.standby(o, primary, "p", followedSince, last);
        if (timelineVisible && seen != primary) {
            assertThat(j.offHistory()).isNotNull();
            assertThat(j.confirms()).isFalse();
        }
        if (!timelineVisible && receiving) {
            assertThat(j.timeline()).as("hidden timeline").isNull();
        }
        if (j.offHistory() == null && j.timeline() != null) {
            assertThat(j.timeline()).as("a timeline it may serve tokens on is the primary's or its last seen one")
                    .isIn(primary, followedSince ? last : primary);
        }
        if (!timelineVisible && !receiving && !followedSince) {
            assertThat(j.offHistory()).as("not seen following the new primary").isNotNull();
        }
    }
}
