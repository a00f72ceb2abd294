package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every unit the configuration file accepts, and WAL positions that are not quite {@code hex/hex}. */
class DurationsAndLsnTextTest {

    @Test
    void hoursAndDaysAreAccepted() {
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("0.5h")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void unitsAndIsoFormsAreCaseInsensitiveAndMayBeSpacedOrPadded() {
        assertThat(Durations.parse(" 5 S ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("pt2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("750MS")).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void aNegativeIsoDurationIsParsedSoTheOptionsOwnCheckCanNameIt() {
        // The builders reject negatives with "must be >= 0ms, but was -1000ms": the parser must not hide the value.
        assertThat(Durations.parse("-PT1S")).isEqualTo(Duration.ofSeconds(-1));
    }

    @Test
    void anythingElseIsRefusedNamingTheAcceptedForms() {
        for (String bad : new String[] {"5 seconds", "PT5X", "1w", "-5s", "s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a duration; write e.g. 500ms, 5s, 2m, 1h or PT5S");
        }
    }

    @Test
    void formatPrintsWholeSecondsAsSecondsAndEverythingElseAsMilliseconds() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(999))).isEqualTo("999ms");
    }

    @Test
    void ceilSecondsRoundsUpAndKeepsZero() {
        assertThat(Durations.ceilSeconds(Duration.ZERO)).isZero();
        assertThat(Durations.ceilSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Durations.ceilSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(Durations.ceilSeconds(Duration.ofDays(36_500))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aWalPositionWithoutItsHighOrLowHalfIsRefusedAsSuch() {
        for (String bad : new String[] {"/16", "16/", "16", ""}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a WAL position (expected e.g. 16/B374D848)");
        }
    }

    @Test
    void walPositionsRoundTripThroughTheirTextForm() {
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(-1L);
        assertThat(Lsn.format(-1L)).isEqualTo("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.parse("a/b")).isEqualTo((0xAL << 32) | 0xB);
        assertThat(Lsn.format(Lsn.parse("0/0"))).isEqualTo("0/0");
    }

    @Test
    void bytesBehindIsTheDistanceToAPositionAheadAndNeverNegative() {
        assertThat(Lsn.bytesBehind(Lsn.parse("1/0"), Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
        assertThat(Lsn.bytesBehind(Lsn.parse("0/1000"), Lsn.parse("0/1000"))).isZero();
        assertThat(Lsn.bytesBehind(Lsn.parse("0/1000"), Lsn.parse("0/2000"))).as("replica ahead").isZero();
        assertThat(Lsn.bytesBehind(Lsn.parse("0/1"), Lsn.parse("FFFFFFFF/FFFFFFFF"))).as("compared unsigned")
                .isZero();
    }
}
