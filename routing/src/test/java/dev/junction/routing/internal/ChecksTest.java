package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builders' per-field checks: the bound itself is allowed, one below is refused with the house message (issue 24). */
class ChecksTest {

    @Test
    void anIntOrLongAtTheMinimumIsAcceptedAndOneBelowIsRefusedNamingTheField() {
        assertThat(Checks.atLeast("maximumPoolSize", 1, 1)).isEqualTo(1);
        assertThat(Checks.atLeast("maximumPoolSize", 7, 1)).isEqualTo(7);
        assertThatThrownBy(() -> Checks.atLeast("maximumPoolSize", 0, 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maximumPoolSize must be >= 1, but was 0");
        assertThat(Checks.atLeast("maxReplicaLagBytes", 0L, 0L)).isZero();
        assertThat(Checks.atLeast("maxReplicaLagBytes", 5L, 0L)).isEqualTo(5L);
        assertThatThrownBy(() -> Checks.atLeast("maxReplicaLagBytes", -1L, 0L))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maxReplicaLagBytes must be >= 0, but was -1");
    }

    @Test
    void aDurationAtTheMinimumIsAcceptedAndOneBelowIsRefusedNamingTheField() {
        Duration min = Duration.ofMillis(250);
        assertThat(Checks.atLeast("connectionTimeout", min, min)).isEqualTo(min);
        assertThat(Checks.atLeast("connectionTimeout", Duration.ofSeconds(2), min)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Checks.atLeast("connectionTimeout", Duration.ofMillis(249), min))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("connectionTimeout must be >= 250ms, but was 249ms");
    }

    @Test
    void zeroDisablesAndOtherwiseTheMinimumHolds() {
        Duration min = Duration.ofSeconds(1);
        assertThat(Checks.zeroOrAtLeast("leakDetectionThreshold", Duration.ZERO, min)).isEqualTo(Duration.ZERO);
        assertThat(Checks.zeroOrAtLeast("leakDetectionThreshold", min, min)).as("the minimum itself").isEqualTo(min);
        assertThat(Checks.zeroOrAtLeast("leakDetectionThreshold", Duration.ofSeconds(30), min))
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Checks.zeroOrAtLeast("leakDetectionThreshold", Duration.ofMillis(999), min))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("leakDetectionThreshold must be 0 (disabled) or >= 1s, but was 999ms");
    }

    @Test
    void aBlankStringIsRefusedAndAnyOtherKept() {
        assertThat(Checks.notBlank("name", "replica-1")).isEqualTo("replica-1");
        assertThatThrownBy(() -> Checks.notBlank("name", "  "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("name must not be blank, but was '  '");
    }
}
