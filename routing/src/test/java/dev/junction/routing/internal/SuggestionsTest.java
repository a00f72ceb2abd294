package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "Did you mean" for misspelt configuration keys: which near key is offered, and when none is (issue 24). */
class SuggestionsTest {

    @Test
    void aKeyThatIsAPrefixOfAtLeastFourCharactersCountsAsOneEdit() {
        List<String> keys = List.of("maximumPoolSize", "minimumIdle");
        assertThat(Suggestions.closest("maxi", keys)).as("4 characters: a prefix").isEqualTo("maximumPoolSize");
        assertThat(Suggestions.closest("max", keys)).as("3 characters are too few to go by").isNull();
        // the other way round: the misspelt key starts with a known one, far beyond the edits allowed otherwise
        assertThat(Suggestions.closest("timeoutForEveryReplicaInMs", List.of("timeout"))).isEqualTo("timeout");
        assertThat(Suggestions.closest("timeoutForEveryReplicaInMs", List.of("timeoutX"))).isNull();
    }

    @Test
    void caseDashesAndUnderscoresDoNotCount() {
        assertThat(Suggestions.closest("MAXIMUM_POOL-SIZE", List.of("maximumPoolSize"))).isEqualTo("maximumPoolSize");
    }

    @Test
    void ofEquallyCloseKeysTheOneListedFirstIsOffered() {
        // "mSize" is two edits from either
        assertThat(Suggestions.closest("mSize", List.of("maxSize", "minSize"))).isEqualTo("maxSize");
        assertThat(Suggestions.closest("mSize", List.of("minSize", "maxSize"))).isEqualTo("minSize");
        assertThat(Suggestions.closest("mSize", List.of("minSize", "mxSize"))).as("a closer one wins")
                .isEqualTo("mxSize");
    }

    @Test
    void theEditDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("abc", "")).isEqualTo(3);
        assertThat(Suggestions.distance("x", "ab")).isEqualTo(2);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
