package dev.junction.samples.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuned rival's read-your-writes rule (Rails' approach): a token younger than the window sends reads to the
 * primary; an old, missing, malformed or foreign token does not. And its replica pool's multi-host URL.
 */
class TunedDirectoryTest {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void aWriteYoungerThanTheWindowSendsReadsToThePrimaryAndAnOlderOneDoesNot() {
        assertThat(TunedDirectory.recentWrite("w" + NOW, NOW, WINDOW)).isTrue();
        assertThat(TunedDirectory.recentWrite("w" + (NOW - 1_999), NOW, WINDOW)).isTrue();
        assertThat(TunedDirectory.recentWrite("w" + (NOW - 2_000), NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite("w" + (NOW - 60_000), NOW, WINDOW)).isFalse();
        // A clock that stepped back a little still counts; a token from far in the future does not.
        assertThat(TunedDirectory.recentWrite("w" + (NOW + 500), NOW, WINDOW)).isTrue();
        assertThat(TunedDirectory.recentWrite("w" + (NOW + 3_600_000), NOW, WINDOW)).isFalse();
    }

    @Test
    void missingMalformedAndForeignTokensReadFromTheReplicas() {
        assertThat(TunedDirectory.recentWrite(null, NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite("", NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite("w", NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite("wabc", NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite("w99999999999999999999999", NOW, WINDOW)).isFalse();
        assertThat(TunedDirectory.recentWrite(String.valueOf(NOW), NOW, WINDOW)).as("no prefix").isFalse();
    }

    @Test
    void theReplicaPoolListsTheReplicasThenThePrimaryAndPrefersSecondariesInRandomOrder() {
        assertThat(TunedDirectory.replicaUrl(List.of("127.0.0.1:5433", "127.0.0.1:5434"), "127.0.0.1:5432", "app"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5433,127.0.0.1:5434,127.0.0.1:5432/app"
                        + "?targetServerType=preferSecondary&loadBalanceHosts=true");
    }
}
