package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the Database options configuration can set are one config type, with a builder, {@code from},
 * {@code defaults()}, value equality and one check per option, which {@link Junction.Builder}'s setters share.
 */
class DatabaseSettingsTest {
    /** Every option away from its default, so a field that {@code from} drops shows. */
    private static final DatabaseSettings FULL = DatabaseSettings.builder()
            .transactionBudget(Duration.ofSeconds(2)).serverSideBudget(false).lints(Lints.strict())
            .slowStatementThreshold(Duration.ofMillis(250)).slowStatementBindValues(true).parallelism(3).build();

    @Test
    void defaultsAreTheDocumentedValues() {
        DatabaseSettings d = DatabaseSettings.defaults();
        assertThat(d.transactionBudget()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.serverSideBudget()).isTrue();
        assertThat(d.lints()).isEqualTo(Lints.defaults());
        assertThat(d.slowStatementThreshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.slowStatementBindValues()).isFalse();
        assertThat(d.parallelism()).isEqualTo(8);
        assertThat(DatabaseSettings.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void fromCarriesEveryOptionAndEachChangeShows() {
        assertThat(DatabaseSettings.from(FULL).build()).isEqualTo(FULL).hasSameHashCodeAs(FULL)
                .hasToString(FULL.toString());
        List<UnaryOperator<DatabaseSettings.Builder>> changes = List.of(
                b -> b.transactionBudget(Duration.ofSeconds(5)),
                b -> b.serverSideBudget(true),
                b -> b.lints(Lints.defaults()),
                b -> b.slowStatementThreshold(Duration.ZERO),
                b -> b.slowStatementBindValues(false),
                b -> b.parallelism(8));
        assertThat(changes).as("one change per field").hasSize(DatabaseSettings.class.getDeclaredFields().length
                - 4); // the three DEFAULT_* constants and DEFAULTS
        for (UnaryOperator<DatabaseSettings.Builder> change : changes) {
            DatabaseSettings changed = change.apply(DatabaseSettings.from(FULL)).build();
            assertThat(changed).isNotEqualTo(FULL);
            assertThat(DatabaseSettings.from(changed).build()).isEqualTo(changed);
        }
    }

    @Test
    void settersRefuseEachBadValueNamingTheOption() {
        assertThatThrownBy(() -> DatabaseSettings.builder().transactionBudget(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("transactionBudget must be positive, e.g. Duration.ofSeconds(5), but was PT0S");
        assertThatThrownBy(() -> DatabaseSettings.builder().slowStatementThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("slowStatementThreshold must be >= 0 (0 switches the log off), but was PT-0.001S");
        assertThatThrownBy(() -> DatabaseSettings.builder().parallelism(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("parallelism must be >= 1, but was 0");
    }

    @Test
    void theJunctionBuilderChecksWithTheSameMessages() {
        assertThatThrownBy(() -> Junction.builder().transactionBudget(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("transactionBudget must be positive, e.g. Duration.ofSeconds(5), but was PT-1S");
        assertThatThrownBy(() -> Junction.builder().parallelism(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("parallelism must be >= 1, but was 0");
    }
}
