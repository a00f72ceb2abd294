package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
import dev.junction.LintMode;
import dev.junction.Lints;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the {@code database:} section of {@code junction.yaml} sets every option of {@link DatabaseSettings},
 * through its builder: a bad value is reported as {@code file:line: key:} and the setter's words, an unknown key
 * with its line.
 */
class DatabaseSectionTest {
    /** Seven lines: credentials and a primary. The section below starts on line 8. */
    private static final String HEAD = """
            credentials:
              user: app
              password: pw
            nodes:
              - name: primary
                url: jdbc:postgresql://db1:5432/app
                role: primary
            """;

    private static RoutingConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "junction.yaml", Map.of());
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
        return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void everyOptionIsReadIntoTheSettings() {
        RoutingConfig c = parse(HEAD + """
                database:
                  transactionBudget: 2s
                  serverSideBudget: false
                  parallelism: 4
                  slowStatements:
                    threshold: 250ms
                    bindValues: true
                  lints:
                    writeWithoutWrites: strict
                    transactionGap: off
                    gapThreshold: 50ms
                    nPlusOne: strict
                    nPlusOneThreshold: 10
                    lookupReadInWrite: off
                """);

        assertThat(c.database()).isEqualTo(DatabaseSettings.builder()
                .transactionBudget(Duration.ofSeconds(2))
                .serverSideBudget(false)
                .parallelism(4)
                .slowStatementThreshold(Duration.ofMillis(250))
                .slowStatementBindValues(true)
                .lints(Lints.builder().writeWithoutWrites(LintMode.STRICT).transactionGap(LintMode.OFF)
                        .gapThreshold(Duration.ofMillis(50)).nPlusOne(LintMode.STRICT).nPlusOneThreshold(10)
                        .lookupReadInWrite(LintMode.OFF).build())
                .build());
    }

    @Test
    void withoutTheSectionTheDatabaseGetsTheDefaults() {
        assertThat(parse(HEAD).database()).isEqualTo(DatabaseSettings.defaults());
        assertThat(parse(HEAD + "database:\n  lints:\n    nPlusOne: off\n").database())
                .as("lints not named keep their defaults")
                .isEqualTo(DatabaseSettings.builder().lints(Lints.builder().nPlusOne(LintMode.OFF).build()).build());
    }

    @Test
    void aBadValueIsReportedWithFileLineKeyAndTheSettersRule() {
        loading(HEAD + "database:\n  transactionBudget: 0s\n")
                .hasMessage("junction.yaml:9: database.transactionBudget: must be positive, e.g."
                        + " Duration.ofSeconds(5), but was PT0S");
        loading(HEAD + "database:\n  parallelism: 0\n")
                .hasMessage("junction.yaml:9: database.parallelism: must be >= 1, but was 0");
        loading(HEAD + "database:\n  slowStatements:\n    threshold: -1s\n")
                .hasMessage("junction.yaml:10: database.slowStatements.threshold: '-1s' is not a duration; write"
                        + " e.g. 500ms, 5s, 2m, 1h or PT5S");
        loading(HEAD + "database:\n  lints:\n    nPlusOneThreshold: 0\n")
                .hasMessage("junction.yaml:10: database.lints.nPlusOneThreshold: must be >= 1, e.g. 5, but was 0");
        loading(HEAD + "database:\n  lints:\n    nPlusOne: loud\n")
                .hasMessage("junction.yaml:10: database.lints.nPlusOne: 'loud' is not one of off, warn, strict");
        loading(HEAD + "database:\n  serverSideBudget: maybe\n")
                .hasMessage("junction.yaml:9: database.serverSideBudget: 'maybe' is not true or false");
    }

    @Test
    void unknownKeysInTheSectionAreRefusedWithTheirLine() {
        loading(HEAD + "database:\n  transactionBudgte: 2s\n")
                .hasMessage("junction.yaml:9: database.transactionBudgte: unknown key; did you mean"
                        + " 'transactionBudget'?");
        loading(HEAD + "database:\n  lints:\n    nPlusOneLimit: 3\n")
                .hasMessageStartingWith("junction.yaml:10: database.lints.nPlusOneLimit: unknown key");
    }

    @Test
    void everyProblemOfTheSectionIsReportedAtOnce() {
        loading(HEAD + "database:\n  parallelism: 0\n  lints:\n    gapThreshold: 0ms\n")
                .hasMessage("junction.yaml has 2 problems:" + System.lineSeparator()
                        + "  junction.yaml:9: database.parallelism: must be >= 1, but was 0" + System.lineSeparator()
                        + "  junction.yaml:11: database.lints.gapThreshold: must be positive, e.g."
                        + " Duration.ofMillis(100), but was PT0S");
    }
}
