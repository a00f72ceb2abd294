package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagPolicyTest {
    private final LagPolicy policy = new LagPolicy(Duration.ofSeconds(5), 1000L, 0.8);

    @Test
    void aReplicaZeroBytesBehindIsNeverLaggingWhateverItsTimeFigure() {
        assertThat(policy.excluded(false, 0L, Duration.ofMinutes(10))).isFalse();
        assertThat(policy.excluded(true, 0L, Duration.ofMinutes(10))).isFalse();
    }

    @Test
    void entersExclusionAboveTheLimit() {
        assertThat(policy.excluded(false, 10L, Duration.ofSeconds(5))).isFalse();
        assertThat(policy.excluded(false, 10L, Duration.ofMillis(5001))).isTrue();
        assertThat(policy.excluded(false, 1001L, Duration.ZERO)).isTrue();
    }

    @Test
    void reentersOnlyBelowTheHysteresisThreshold() {
        assertThat(policy.excluded(true, 10L, Duration.ofMillis(4500))).as("between 80% and 100%").isTrue();
        assertThat(policy.excluded(true, 10L, Duration.ofMillis(4000))).as("at 80%").isTrue();
        assertThat(policy.excluded(true, 10L, Duration.ofMillis(3999))).as("below 80%").isFalse();
        assertThat(policy.excluded(true, 900L, Duration.ofSeconds(1))).as("bytes above 80%").isTrue();
        assertThat(policy.excluded(true, 799L, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void aReplicaHoveringAtTheThresholdDoesNotFlap() {
        boolean excluded = false;
        int transitions = 0;
        long[] lagMillis = {5100, 4900, 5050, 4700, 5200, 4500, 4100, 3900, 4300, 4900};
        for (long ms : lagMillis) {
            boolean next = policy.excluded(excluded, 10L, Duration.ofMillis(ms));
            if (next != excluded) {
                transitions++;
            }
            excluded = next;
        }
        assertThat(transitions).as("in at 5100, out at 3900 only").isEqualTo(2);
        assertThat(excluded).isFalse();
    }

    @Test
    void unknownFiguresKeepTheState() {
        assertThat(policy.excluded(true, null, null)).isTrue();
        assertThat(policy.excluded(false, null, null)).isFalse();
    }
}
