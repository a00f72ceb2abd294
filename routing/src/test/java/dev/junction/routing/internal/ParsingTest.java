package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void durationsInTheFileForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Durations.ceilSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    }

    @Test
    void jdbcUrlsAreParsedAndCheckedPrecisely() {
        assertThat(JdbcUrls.parse("jdbc:postgresql://Db1:6432/app?sslmode=require"))
                .isEqualTo(new JdbcUrls.Address("db1", 6432, "app"));
        assertThat(JdbcUrls.parse("jdbc:postgresql://db1/app").port()).isEqualTo(5432);
        assertThat(JdbcUrls.parse("jdbc:postgresql://[::1]:5433/app").server()).isEqualTo("[::1]:5433");
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:postgresql://db1:54x/app")).hasMessageContaining("port '54x'");
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:postgresql://db1:5432/")).hasMessageContaining("no database");
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:postgresql://a,b/app")).hasMessageContaining("several hosts");
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:postgresql://app:S3cr3t-pw@db1:5432/app"))
                .hasMessageStartingWith("'jdbc:postgresql://***@db1:5432/app' carries credentials before its host")
                .hasMessageNotContaining("S3cr3t").hasMessageNotContaining("app:");
        assertThatThrownBy(() -> JdbcUrls.parse("jdbc:postgresql://db1/app?user=app&password=S3cr3t-pw"))
                .hasMessageStartingWith("'jdbc:postgresql://db1/app?...' carries credentials in its parameters")
                .hasMessageNotContaining("S3cr3t");
        assertThat(JdbcUrls.redacted("jdbc:postgresql://u:p@ss@db1/app?password=x"))
                .isEqualTo("jdbc:postgresql://***@db1/app?...");
        assertThat(JdbcUrls.redacted("jdbc:postgresql://db1:5432/app")).isEqualTo("jdbc:postgresql://db1:5432/app");
    }

    @Test
    void environmentSubstitution() {
        EnvSubstitution env = new EnvSubstitution(Map.of("HOST", "db9", "EMPTY", ""));
        assertThat(env.apply("jdbc:postgresql://${HOST}:${PORT:-5432}/app")).isEqualTo("jdbc:postgresql://db9:5432/app");
        assertThat(env.apply("${EMPTY:-x}")).isEqualTo("");
        assertThat(env.apply("a$${HOST}")).isEqualTo("a${HOST}");
        assertThat(env.apply("no refs")).isEqualTo("no refs");
        assertThatThrownBy(() -> env.apply("${MISSING}")).hasMessageContaining("MISSING is not set");
        assertThatThrownBy(() -> env.apply("${bad-name}")).hasMessageContaining("malformed reference");
    }

    @Test
    void suggestionsFindCloseKeysOnly() {
        List<String> keys = List.of("maximumPoolSize", "minimumIdle", "connectionTimeout");
        assertThat(Suggestions.closest("maxPoolSize", keys)).isEqualTo("maximumPoolSize");
        assertThat(Suggestions.closest("minimumidle", keys)).isEqualTo("minimumIdle");
        assertThat(Suggestions.closest("conectionTimeout", keys)).isEqualTo("connectionTimeout");
        assertThat(Suggestions.closest("banana", keys)).isNull();
    }
}
