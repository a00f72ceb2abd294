package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The byte limit's edges and the words the routing engine puts in its "no eligible replica" message. */
class LagPolicyByteLimitTest {
    private final LagPolicy policy = new LagPolicy(Duration.ofSeconds(5), 1000L, 0.8);

    @Test
    void aReplicaExactlyAtTheByteLimitIsNotExcludedOnlyOneAboveIs() {
        assertThat(policy.excluded(false, 1000L, Duration.ZERO)).as("at the limit").isFalse();
        assertThat(policy.excluded(false, 1001L, Duration.ZERO)).as("one byte over").isTrue();
    }

    @Test
    void anExcludedReplicaExactlyAtTheByteReentryThresholdStaysExcluded() {
        assertThat(policy.excluded(true, 800L, Duration.ZERO)).as("at 80% of 1000 bytes").isTrue();
        assertThat(policy.excluded(true, 799L, Duration.ZERO)).as("below 80%").isFalse();
    }

    @Test
    void withoutAByteLimitOnlyTimeCounts() {
        LagPolicy timeOnly = new LagPolicy(Duration.ofSeconds(5), null, 0.8);
        assertThat(timeOnly.excluded(false, Long.MAX_VALUE, Duration.ofSeconds(1))).isFalse();
        assertThat(timeOnly.excluded(true, Long.MAX_VALUE, Duration.ofSeconds(1))).as("re-enters on time").isFalse();
    }

    @Test
    void anExcludedReplicaWithAnUnknownTimeFigureReentersOnBytesAlone() {
        assertThat(policy.excluded(true, 100L, null)).isFalse();
        assertThat(policy.excluded(true, 900L, null)).isTrue();
    }

    @Test
    void aReplicaWhoseByteFigureIsUnknownIsJudgedByTimeAlone() {
        assertThat(policy.excluded(false, null, Duration.ofSeconds(6))).isTrue();
        assertThat(policy.excluded(false, null, Duration.ofSeconds(1))).isFalse();
        assertThat(policy.excluded(true, null, Duration.ofMillis(4500))).isTrue();
        assertThat(policy.excluded(true, null, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void aReplicaWhoseTimeFigureIsUnknownIsJudgedByBytesAlone() {
        assertThat(policy.excluded(false, 100L, null)).isFalse();
        assertThat(policy.excluded(false, 2000L, null)).isTrue();
    }

    @Test
    void theLimitsAreDescribedWithTheReentryPercentage() {
        assertThat(policy.describeLimits())
                .isEqualTo("maxReplicaLag 5s, maxReplicaLagBytes 1000; re-enters below 80% of the limit");
        assertThat(new LagPolicy(Duration.ofMillis(1500), null, 0.5).describeLimits())
                .isEqualTo("maxReplicaLag 1500ms; re-enters below 50% of the limit");
    }
}
