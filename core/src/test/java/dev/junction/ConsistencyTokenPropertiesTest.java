package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests of the token codec (issue 24): every token round-trips, and no single corrupted byte or character
 * yields a different token.
 */
class ConsistencyTokenPropertiesTest {
    private static final int BYTES = 29;

    @Provide
    Arbitrary<ConsistencyToken> tokens() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(1), Arbitraries.longs(),
                Arbitraries.longs().between(0, (1L << 48) - 1))
                .as((system, timeline, lsn, millis) -> ConsistencyToken.of(system, timeline, lsn,
                        Instant.ofEpochMilli(millis)));
    }

    @Property
    void everyTokenRoundTripsThroughItsEncoding(@ForAll("tokens") ConsistencyToken token) {
        String encoded = token.encode();

        assertThat(encoded).hasSize(ConsistencyToken.ENCODED_LENGTH).matches("[A-Za-z0-9_-]+");
        ConsistencyToken back = ConsistencyToken.parse(encoded);
        assertThat(back).isEqualTo(token);
        assertThat(back.systemIdentifier()).isEqualTo(token.systemIdentifier());
        assertThat(back.timeline()).isEqualTo(token.timeline());
        assertThat(back.lsn()).isEqualTo(token.lsn());
        assertThat(back.committedAt()).isEqualTo(token.committedAt());
    }

    @Property(tries = 50)
    void everySingleByteCorruptionIsRejected(@ForAll("tokens") ConsistencyToken token) {
        byte[] original = Base64.getUrlDecoder().decode(token.encode());
        // Every position, every other value: 29 x 255 corruptions of this token.
        for (int index = 0; index < BYTES; index++) {
            for (int flip = 1; flip < 256; flip++) {
                byte[] bytes = original.clone();
                bytes[index] = (byte) (bytes[index] ^ flip);
                String corrupted = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                int at = index;
                int by = flip;
                assertThatThrownBy(() -> ConsistencyToken.parse(corrupted))
                        .as("byte %d xor %d", at, by)
                        .isInstanceOf(InvalidConsistencyTokenException.class);
            }
        }
    }

    @Property
    void aSingleChangedCharacterNeverYieldsAnotherToken(@ForAll("tokens") ConsistencyToken token,
            @ForAll @IntRange(min = 0, max = ConsistencyToken.ENCODED_LENGTH - 1) int index,
            @ForAll @CharRange(from = '!', to = '~') char replacement) {
        String encoded = token.encode();
        String changed = encoded.substring(0, index) + replacement + encoded.substring(index + 1);
        ConsistencyToken parsed;
        try {
            parsed = ConsistencyToken.parse(changed);
        } catch (InvalidConsistencyTokenException rejected) {
            return;
        }
        // Only a change the codec cannot see may pass: the last character's two unused bits decode to the same token.
        assertThat(parsed).as("%s decoded as another token", changed).isEqualTo(token);
    }
}
