package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Issue 17: PoolSettings is a config type with a builder, {@code from}, {@code defaults()} and value equality. */
class PoolSettingsTest {
    private static final PoolSettings FULL = PoolSettings.builder().maximumPoolSize(7).minimumIdle(2)
            .connectionTimeout(Duration.ofSeconds(3)).idleTimeout(Duration.ofMinutes(2))
            .maxLifetime(Duration.ofMinutes(20)).connectTimeout(Duration.ofSeconds(4))
            .socketTimeout(Duration.ofSeconds(30)).build();

    @Test
    void defaultsAreAFixedPoolOfTenWithTheDocumentedTimeouts() {
        PoolSettings d = PoolSettings.defaults();
        assertThat(d.maximumPoolSize()).isEqualTo(10);
        assertThat(d.minimumIdle()).isEqualTo(10);
        assertThat(d.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.socketTimeout()).as("bounded by default").isEqualTo(Duration.ofSeconds(30));
        assertThat(PoolSettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, PoolSettings::from, PoolSettings.Builder::build,
                Map.<String, UnaryOperator<PoolSettings.Builder>>of(
                        "maximumPoolSize", b -> b.maximumPoolSize(8),
                        "minimumIdle", b -> b.minimumIdle(3),
                        "connectionTimeout", b -> b.connectionTimeout(Duration.ofSeconds(6)),
                        "idleTimeout", b -> b.idleTimeout(Duration.ZERO),
                        "maxLifetime", b -> b.maxLifetime(Duration.ZERO),
                        "connectTimeout", b -> b.connectTimeout(Duration.ofSeconds(1)),
                        "socketTimeout", b -> b.socketTimeout(Duration.ZERO)));
    }

    @Test
    void aFixedSizePoolStaysFixedSizeWhenACopyChangesOnlyTheSize() {
        PoolSettings bigger = PoolSettings.from(PoolSettings.defaults()).maximumPoolSize(20).build();
        assertThat(bigger.minimumIdle()).isEqualTo(20);
        assertThat(PoolSettings.from(FULL).maximumPoolSize(20).build().minimumIdle()).isEqualTo(2);
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        PoolSettings.Builder b = PoolSettings.builder();
        assertThatThrownBy(() -> b.maximumPoolSize(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maximumPoolSize must be >= 1, but was 0");
        assertThatThrownBy(() -> b.minimumIdle(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("minimumIdle must be >= 0, but was -1");
        assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(249))).isInstanceOf(ConfigurationException.class)
                .hasMessage("connectionTimeout must be >= 250ms, but was 249ms");
        assertThatThrownBy(() -> b.idleTimeout(Duration.ofSeconds(9))).isInstanceOf(ConfigurationException.class)
                .hasMessage("idleTimeout must be 0 (disabled) or >= 10s, but was 9s");
        assertThatThrownBy(() -> b.maxLifetime(Duration.ofSeconds(29))).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxLifetime must be 0 (disabled) or >= 30s, but was 29s");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("connectTimeout must be >= 0ms, but was -1ms");
        assertThatThrownBy(() -> b.socketTimeout(Duration.ofMillis(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("socketTimeout must be >= 0ms, but was -1ms");
        assertThatThrownBy(() -> b.connectTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("connectTimeout");
        assertThat(b.build()).as("a refused value leaves the builder unchanged").isEqualTo(PoolSettings.defaults());
    }

    @Test
    void buildRefusesMoreIdleConnectionsThanThePoolHolds() {
        assertThatThrownBy(() -> PoolSettings.builder().maximumPoolSize(5).minimumIdle(6).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("minimumIdle must be <= maximumPoolSize (5), but was 6");
    }
}
