package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 17: ConsistencySettings is a config type with a builder, {@code from}, {@code defaults()} and equality. */
class ConsistencySettingsTest {
    private static final ConsistencySettings FULL = ConsistencySettings.builder().mode(ConsistencySettings.Mode.TIME)
            .maxWait(Duration.ofMillis(250)).primaryWindow(Duration.ofSeconds(9))
            .invalidToken(ConsistencySettings.InvalidTokenPolicy.REJECT).build();

    @Test
    void defaultsWaitForTheWalPositionUpToAHundredMilliseconds() {
        ConsistencySettings d = ConsistencySettings.defaults();
        assertThat(d.mode()).isEqualTo(ConsistencySettings.Mode.WAL_POSITION);
        assertThat(d.maxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.primaryWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.invalidToken()).as("bad tokens read strong, as before the option existed")
                .isEqualTo(ConsistencySettings.InvalidTokenPolicy.STRONG);
        assertThat(ConsistencySettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, ConsistencySettings::from, ConsistencySettings.Builder::build,
                Map.<String, UnaryOperator<ConsistencySettings.Builder>>of(
                        "mode", b -> b.mode(ConsistencySettings.Mode.WAL_POSITION),
                        "maxWait", b -> b.maxWait(Duration.ZERO),
                        "primaryWindow", b -> b.primaryWindow(Duration.ZERO),
                        "invalidToken", b -> b.invalidToken(ConsistencySettings.InvalidTokenPolicy.EVENTUAL)));
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        ConsistencySettings.Builder b = ConsistencySettings.builder();
        assertThatThrownBy(() -> b.maxWait(Duration.ofMillis(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("consistency.maxWait must be >= 0ms, but was -1ms");
        assertThatThrownBy(() -> b.primaryWindow(Duration.ofMillis(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("consistency.primaryWindow must be >= 0ms, but was -1ms");
        assertThatThrownBy(() -> b.mode(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("consistency.mode");
        assertThatThrownBy(() -> b.invalidToken(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("consistency.invalidToken");
        assertThat(b.build()).as("a refused value leaves the builder unchanged")
                .isEqualTo(ConsistencySettings.defaults());
    }
}
