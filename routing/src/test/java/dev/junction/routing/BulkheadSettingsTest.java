package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 17: BulkheadSettings is a config type with a builder, {@code from}, {@code defaults()} and equality. */
class BulkheadSettingsTest {

    @Test
    void defaultsLetAsManyCallersWaitAsThePoolHasConnections() {
        BulkheadSettings d = BulkheadSettings.defaults();
        assertThat(d.maxWaiting()).isNull();
        assertThat(d.maxWaitingFor(7)).isEqualTo(7);
        assertThat(BulkheadSettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void oneBoundAppliesToEveryPoolWhateverItsSize() {
        BulkheadSettings none = BulkheadSettings.builder().maxWaiting(0).build();
        assertThat(none.maxWaiting()).isZero();
        assertThat(none.maxWaitingFor(10)).isZero();
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(BulkheadSettings.builder().maxWaiting(4).build(), BulkheadSettings::from,
                BulkheadSettings.Builder::build,
                Map.<String, UnaryOperator<BulkheadSettings.Builder>>of("maxWaiting", b -> b.maxWaiting(5),
                        "adaptive", b -> b.adaptive(true)));
        assertThat(BulkheadSettings.from(BulkheadSettings.defaults()).build()).isEqualTo(BulkheadSettings.defaults());
    }

    @Test
    void aNegativeBoundIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> BulkheadSettings.builder().maxWaiting(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("bulkhead.maxWaiting must be >= 0, but was -1");
    }
}
