package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 23: the cap on reads spilled or fallen back to the primary is a config type like the others. */
class SpillSettingsTest {

    @Test
    void defaultsSpillIntoAQuarterOfThePrimaryPoolAndAlwaysAllowOneRead() {
        SpillSettings d = SpillSettings.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.primaryShare()).isEqualTo(0.25);
        assertThat(d.capFor(20)).isEqualTo(5);
        assertThat(d.capFor(10)).isEqualTo(2);
        assertThat(d.capFor(2)).isEqualTo(1);
        assertThat(SpillSettings.builder().primaryShare(1).build().capFor(7)).isEqualTo(7);
        assertThat(SpillSettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(SpillSettings.builder().enabled(false).primaryShare(0.5).build(),
                SpillSettings::from, SpillSettings.Builder::build,
                Map.<String, UnaryOperator<SpillSettings.Builder>>of(
                        "enabled", b -> b.enabled(true),
                        "primaryShare", b -> b.primaryShare(0.3)));
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedNamingTheOptionAndAnExample() {
        for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> SpillSettings.builder().primaryShare(bad))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("spill.primaryShare must be > 0 and <= 1 (e.g. 0.25 for a quarter of the primary"
                            + " pool), but was " + bad);
        }
    }
}
