package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Hostile or damaged token strings from clients (issue 9), beyond the codec cases of {@link ConsistencyTokenTest}:
 * each is refused with a short message that never echoes the input, and none makes a read from a request throw or
 * become eventual.
 */
class ConsistencyTokenBadInputTest {
    private static final ConsistencyToken GOOD = ConsistencyToken.of(7_412_345_678_901_234_567L, 2,
            ConsistencyToken.parseLsn("0/3000148"), Instant.parse("2026-11-25T08:30:00.123Z"));

    /** A token with a correct checksum over whatever bytes we choose: what a forger who read the docs can make. */
    private static String withValidChecksum(int version, int timeline) {
        ByteBuffer b = ByteBuffer.allocate(29);
        b.put((byte) version).putLong(GOOD.systemIdentifier()).putInt(timeline).putLong(GOOD.lsn())
                .putShort((short) 0).putInt(12345);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 27);
        b.putShort((short) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    @Test
    void aTokenNamingTimelineZeroIsRefusedEvenWithAValidChecksum() {
        String forged = withValidChecksum(1, 0);
        assertThat(forged).hasSize(ConsistencyToken.ENCODED_LENGTH);
        assertThat(ConsistencyToken.parse(withValidChecksum(1, 2)).timeline()).as("the forging itself works").isEqualTo(2);

        assertThatThrownBy(() -> ConsistencyToken.parse(forged)).isInstanceOf(InvalidConsistencyTokenException.class)
                .hasMessage("consistency token names timeline 0, but timelines start at 1; carry the token unchanged");
        assertThatThrownBy(() -> ConsistencyToken.parse(withValidChecksum(1, -1)))
                .hasMessageContaining("names timeline -1");
    }

    @Test
    void anOversizedTokenIsRefusedByItsLengthWithoutEchoingIt() {
        String huge = "A".repeat(100_000);
        assertThatThrownBy(() -> ConsistencyToken.parse(huge)).isInstanceOf(InvalidConsistencyTokenException.class)
                .hasMessage("consistency token has 100000 characters, expected 39 (truncated or altered in transit?);"
                        + " carry it unchanged, e.g. in a header or cookie");
    }

    @Test
    void charactersOutsideBase64UrlAreRefused() {
        String good = GOOD.encode();
        String message = "consistency token contains characters outside [A-Za-z0-9_-]; carry it unchanged (it is"
                + " already URL- and cookie-safe, do not re-encode it)";
        for (String bad : List.of(good.substring(0, 38) + "é", good.substring(0, 38) + "\u0000",
                good.substring(0, 20) + "+" + good.substring(21), good.substring(0, 20) + "/" + good.substring(21),
                good.substring(0, 20) + "%" + good.substring(21), "'" + good.substring(1, 38) + ";")) {
            assertThatThrownBy(() -> ConsistencyToken.parse(bad)).as(bad)
                    .isInstanceOf(InvalidConsistencyTokenException.class).hasMessage(message);
        }
    }

    @Test
    void eachRefusalNamesItsProblemAsAValueAndNeitherItNorTheMessageEchoesTheToken() {
        String good = GOOD.encode();
        String flipped = good.substring(0, 30) + (good.charAt(30) == 'A' ? 'B' : 'A') + good.substring(31);
        Object[][] cases = {{" ", InvalidConsistencyTokenException.Problem.EMPTY},
                {good.substring(0, 30), InvalidConsistencyTokenException.Problem.LENGTH},
                {good.substring(0, 38) + "%", InvalidConsistencyTokenException.Problem.ALPHABET},
                {withValidChecksum(9, 1), InvalidConsistencyTokenException.Problem.VERSION},
                {flipped, InvalidConsistencyTokenException.Problem.CHECKSUM},
                {withValidChecksum(1, 0), InvalidConsistencyTokenException.Problem.TIMELINE}};
        for (Object[] c : cases) {
            String text = (String) c[0];
            InvalidConsistencyTokenException e = assertThrows(InvalidConsistencyTokenException.class,
                    () -> ConsistencyToken.parse(text));
            assertThat(e.problem()).as(text).isEqualTo(c[1]);
            if (!text.isBlank()) {
                assertThat(e.getMessage()).doesNotContain(text.strip().substring(0, 12));
            }
            assertThat(Consistency.afterToken(text)).isEqualTo(text.isBlank() ? Consistency.eventual()
                    : Consistency.invalidToken(e.problem()));
        }
    }

    @Test
    void surroundingWhitespaceFromHeadersIsIgnored() {
        assertThat(ConsistencyToken.parse(" \t" + GOOD.encode() + "\r\n")).isEqualTo(GOOD);
    }

    @Test
    void aNullTokenIsReportedAsEmpty() {
        assertThatThrownBy(() -> ConsistencyToken.parse(null)).isInstanceOf(InvalidConsistencyTokenException.class)
                .hasMessageStartingWith("consistency token is empty");
    }

    @Test
    void noBadTokenFromARequestThrowsOrWeakensTheRead() {
        String good = GOOD.encode();
        List<String> bad = List.of("A".repeat(100_000), withValidChecksum(1, 0), withValidChecksum(9, 1),
                good.substring(0, 38) + "é", good.toUpperCase(java.util.Locale.ROOT), good + good,
                "' or 1=1 --", "<script>alert(1)</script>", "\u0000".repeat(39));
        for (String text : bad) {
            // A client sent something it thinks is a token: the read must not be eventual (possibly stale) unless
            // the router's bad-token policy says so; it is marked invalid, for that policy, and never strong-cast.
            assertThat(Consistency.afterToken(text)).as(text.length() > 60 ? "(long)" : text)
                    .isInstanceOf(Consistency.InvalidToken.class);
            assertThat(ConsistencySession.restore(text).consistency()).isInstanceOf(Consistency.InvalidToken.class)
                    .isEqualTo(Consistency.afterToken(text));
            assertThat(ConsistencySession.restore(text).encoded()).isEmpty();
        }
    }
}
