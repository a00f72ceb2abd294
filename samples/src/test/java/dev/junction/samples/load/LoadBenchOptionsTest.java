package dev.junction.samples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./dev bench load}'s options: the user sets, the profiles and the three implementations. */
class LoadBenchOptionsTest {
    @Test
    void theDefaultsRunTheThreeImplementationsAtTheFourUsualCountsWithOneSecondOfThinkTime() {
        LoadBench.Options o = LoadBench.Options.parse(new String[0]);
        assertThat(o.users()).containsExactly(50, 200, 500, 1000);
        assertThat(o.impls()).containsExactly("naive", "junction", "tuned");
        assertThat(o.think()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.profile()).isEqualTo("normal");
    }

    @Test
    void extendedAddsTheOverloadPointsAndHarshShortensTheThinkTimeUnlessThinkIsGiven() {
        LoadBench.Options o = LoadBench.Options.parse(new String[] {"--users", "extended", "--profile", "harsh"});
        assertThat(o.users()).containsExactly(50, 200, 500, 1000, 1500, 2000);
        assertThat(o.think()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.profile()).isEqualTo("harsh");
        LoadBench.Options explicit = LoadBench.Options.parse(new String[] {"--think", "50ms", "--profile", "harsh",
            "--users", "1500,2000", "--impl", "tuned,junction"});
        assertThat(explicit.think()).isEqualTo(Duration.ofMillis(50));
        assertThat(explicit.users()).isEqualTo(List.of(1500, 2000));
        assertThat(explicit.impls()).containsExactly("tuned", "junction");
    }

    @Test
    void unknownProfilesAndImplementationsAreRefused() {
        assertThatThrownBy(() -> LoadBench.Options.parse(new String[] {"--profile", "brutal"}))
                .hasMessageContaining("normal or harsh");
        assertThatThrownBy(() -> LoadBench.Options.parse(new String[] {"--impl", "naive,spring"}))
                .hasMessageContaining("naive, junction and/or tuned");
    }
}
