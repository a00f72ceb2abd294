package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 17: CircuitBreakerSettings is a config type with a builder, {@code from}, {@code defaults()}, equality. */
class CircuitBreakerSettingsTest {
    private static final CircuitBreakerSettings FULL = CircuitBreakerSettings.builder().failureRateThreshold(25)
            .minimumCalls(3).slidingWindowSize(10).waitInOpenState(Duration.ofSeconds(2)).permittedCallsInHalfOpen(1)
            .maxWaitInOpenState(Duration.ofSeconds(30)).build();

    @Test
    void defaultsAreTheDocumentedOnes() {
        CircuitBreakerSettings d = CircuitBreakerSettings.defaults();
        assertThat(d.failureRateThreshold()).isEqualTo(50f);
        assertThat(d.minimumCalls()).isEqualTo(5);
        assertThat(d.slidingWindowSize()).isEqualTo(20);
        assertThat(d.waitInOpenState()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.permittedCallsInHalfOpen()).isEqualTo(2);
        assertThat(d.maxWaitInOpenState()).isEqualTo(Duration.ofMinutes(1));
        assertThat(CircuitBreakerSettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, CircuitBreakerSettings::from, CircuitBreakerSettings.Builder::build,
                Map.<String, UnaryOperator<CircuitBreakerSettings.Builder>>of(
                        "failureRateThreshold", b -> b.failureRateThreshold(100),
                        "minimumCalls", b -> b.minimumCalls(4),
                        "slidingWindowSize", b -> b.slidingWindowSize(11),
                        "waitInOpenState", b -> b.waitInOpenState(Duration.ofMillis(1)),
                        "permittedCallsInHalfOpen", b -> b.permittedCallsInHalfOpen(3),
                        "maxWaitInOpenState", b -> b.maxWaitInOpenState(Duration.ofSeconds(31))));
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        CircuitBreakerSettings.Builder b = CircuitBreakerSettings.builder();
        assertThatThrownBy(() -> b.failureRateThreshold(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("failureRateThreshold must be > 0 and <= 100 (a percentage), but was 0.0");
        assertThatThrownBy(() -> b.failureRateThreshold(100.5f)).isInstanceOf(ConfigurationException.class)
                .hasMessage("failureRateThreshold must be > 0 and <= 100 (a percentage), but was 100.5");
        assertThatThrownBy(() -> b.minimumCalls(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("minimumCalls must be >= 1, but was 0");
        assertThatThrownBy(() -> b.slidingWindowSize(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("slidingWindowSize must be >= 1, but was 0");
        assertThatThrownBy(() -> b.waitInOpenState(Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessage("waitInOpenState must be >= 1ms, but was 0ms");
        assertThatThrownBy(() -> b.maxWaitInOpenState(Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxWaitInOpenState must be >= 1ms, but was 0ms");
        assertThatThrownBy(() -> b.permittedCallsInHalfOpen(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("permittedCallsInHalfOpen must be >= 1, but was 0");
        assertThat(b.build()).as("a refused value leaves the builder unchanged")
                .isEqualTo(CircuitBreakerSettings.defaults());
    }
}
