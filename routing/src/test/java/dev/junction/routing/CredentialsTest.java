package dev.junction.routing;

import static dev.junction.routing.ConfigCopies.assertFromCarriesEveryField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: Credentials is a config type with a builder, {@code from} and value equality; it has no defaults, since
 * the user is mandatory, and its password never shows.
 */
class CredentialsTest {
    private static final Credentials FULL = Credentials.builder().user("app").password("s3cret-pw").build();

    @Test
    void theShorthandEqualsTheBuilderAndThePasswordDefaultsToEmpty() {
        assertThat(Credentials.of("app", "s3cret-pw")).isEqualTo(FULL).hasSameHashCodeAs(FULL);
        Credentials trust = Credentials.builder().user("app").build();
        assertThat(trust.password()).isEmpty();
        assertThat(trust).hasToString("Credentials[user=app, password=<empty>]");
    }

    @Test
    void fromCarriesEveryFieldAndEachChangeShows() {
        assertFromCarriesEveryField(FULL, Credentials::from, Credentials.Builder::build,
                Map.<String, UnaryOperator<Credentials.Builder>>of(
                        "user", b -> b.user("other"),
                        "password", b -> b.password("rotated-pw")));
    }

    @Test
    void thePasswordIsNeverInToString() {
        assertThat(FULL.toString()).isEqualTo("Credentials[user=app, password=****]").doesNotContain("s3cret");
    }

    @Test
    void aBlankOrMissingUserIsRefused() {
        assertThatThrownBy(() -> Credentials.builder().user(" ")).isInstanceOf(ConfigurationException.class)
                .hasMessage("user must not be blank, but was ' '");
        assertThatThrownBy(() -> Credentials.of("", "pw")).isInstanceOf(ConfigurationException.class)
                .hasMessage("user must not be blank, but was ''");
        assertThatThrownBy(() -> Credentials.builder().password("pw").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("user must be set: call user(name) with the PostgreSQL role to log in as");
        assertThatThrownBy(() -> Credentials.builder().password(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("password");
    }
}
