package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 17: Lints is a config type with a builder, {@code from}, {@code defaults()} and value equality. */
class LintsTest {

    @Test
    void defaultsAreEveryLintInWarnWithTheDocumentedThresholds() {
        Lints defaults = Lints.defaults();
        assertThat(defaults.writeWithoutWrites()).isEqualTo(LintMode.WARN);
        assertThat(defaults.transactionGap()).isEqualTo(LintMode.WARN);
        assertThat(defaults.gapThreshold()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.nPlusOne()).isEqualTo(LintMode.WARN);
        assertThat(defaults.nPlusOneThreshold()).isEqualTo(5);
        assertThat(defaults.lookupReadInWrite()).isEqualTo(LintMode.WARN);
        assertThat(Lints.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
    }

    @Test
    void strictAndOffSetEveryLintAndKeepTheDefaultThresholds() {
        for (Lints lints : new Lints[] {Lints.strict(), Lints.off()}) {
            LintMode mode = lints == Lints.strict() ? LintMode.STRICT : LintMode.OFF;
            assertThat(lints.writeWithoutWrites()).isEqualTo(mode);
            assertThat(lints.transactionGap()).isEqualTo(mode);
            assertThat(lints.nPlusOne()).isEqualTo(mode);
            assertThat(lints.lookupReadInWrite()).isEqualTo(mode);
            assertThat(lints.gapThreshold()).isEqualTo(Lints.DEFAULT_GAP_THRESHOLD);
            assertThat(lints.nPlusOneThreshold()).isEqualTo(Lints.DEFAULT_N_PLUS_ONE_THRESHOLD);
        }
    }

    @Test
    void fromCopiesEveryValueAndChangesOnlyWhatIsSet() {
        Lints custom = Lints.builder().writeWithoutWrites(LintMode.OFF).transactionGap(LintMode.STRICT)
                .gapThreshold(Duration.ofMillis(50)).nPlusOne(LintMode.STRICT).nPlusOneThreshold(10)
                .lookupReadInWrite(LintMode.OFF).build();
        assertThat(Lints.from(custom).build()).isEqualTo(custom).hasSameHashCodeAs(custom)
                .hasToString(custom.toString());

        Lints changed = Lints.from(custom).nPlusOneThreshold(20).build();
        assertThat(changed.nPlusOneThreshold()).isEqualTo(20);
        assertThat(changed).isNotEqualTo(custom);
        assertThat(Lints.from(changed).nPlusOneThreshold(10).build()).isEqualTo(custom);
        assertThat(custom.nPlusOneThreshold()).as("the original is unchanged").isEqualTo(10);
    }

    @Test
    void settersRefuseEachBadValueNamingTheOptionAndAnExample() {
        assertThatThrownBy(() -> Lints.builder().gapThreshold(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("gapThreshold must be positive, e.g. Duration.ofMillis(100), but was PT0S");
        assertThatThrownBy(() -> Lints.builder().gapThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("gapThreshold must be positive, e.g. Duration.ofMillis(100), but was PT-0.001S");
        assertThatThrownBy(() -> Lints.builder().nPlusOneThreshold(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("nPlusOneThreshold must be >= 1, e.g. 5, but was 0");
        assertThatThrownBy(() -> Lints.builder().nPlusOne(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("nPlusOne");
    }
}
