package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The token codec: compact, URL- and cookie-safe, versioned, and never silently wrong (issue 4). */
class ConsistencyTokenTest {
    private static final long SYSTEM = 7_412_345_678_901_234_567L;
    private static final Instant AT = Instant.parse("2026-11-25T06:40:00.123Z");

    @Test
    void encodesToACompactUrlAndCookieSafeString() {
        String encoded = ConsistencyToken.of(SYSTEM, 1, ConsistencyToken.parseLsn("0/16B3748"), AT).encode();
        assertThat(encoded).hasSize(ConsistencyToken.ENCODED_LENGTH).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void roundTripsEveryField() {
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            ConsistencyToken token = ConsistencyToken.of(random.nextLong(), 1 + random.nextInt(Integer.MAX_VALUE),
                    random.nextLong(), Instant.ofEpochMilli(random.nextLong(0, 1L << 48)));
            ConsistencyToken decoded = ConsistencyToken.parse(token.encode());
            assertThat(decoded).isEqualTo(token);
            assertThat(decoded.committedAt()).isEqualTo(token.committedAt());
        }
    }

    @Test
    void lsnTextMatchesPostgresNotation() {
        long lsn = ConsistencyToken.parseLsn("1A/16B3748");
        assertThat(lsn).isEqualTo((0x1AL << 32) | 0x16B3748L);
        assertThat(ConsistencyToken.of(SYSTEM, 1, lsn, AT).lsnText()).isEqualTo("1A/16B3748");
    }

    @Test
    void mergeKeepsTheLaterPositionAndTheNewerTimeline() {
        ConsistencyToken early = ConsistencyToken.of(SYSTEM, 1, 100, AT);
        ConsistencyToken late = ConsistencyToken.of(SYSTEM, 1, 200, AT.minusSeconds(5));
        ConsistencyToken newTimeline = ConsistencyToken.of(SYSTEM, 2, 50, AT);

        assertThat(early.merge(late).lsn()).isEqualTo(200);
        assertThat(late.merge(early).lsn()).isEqualTo(200);
        assertThat(early.merge(late).committedAt()).isEqualTo(AT);
        assertThat(late.merge(newTimeline)).isEqualTo(newTimeline);
        assertThat(newTimeline.merge(late)).isEqualTo(newTimeline);
    }

    @Test
    void mergingTokensOfDifferentClustersIsRefused() {
        ConsistencyToken a = ConsistencyToken.of(SYSTEM, 1, 100, AT);
        ConsistencyToken b = ConsistencyToken.of(SYSTEM + 1, 1, 100, AT);
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot merge consistency tokens of different clusters");
    }

    @Test
    void emptyTruncatedAlteredAndForeignFormatTokensAreRejectedClearly() {
        String good = ConsistencyToken.of(SYSTEM, 3, 12345, AT).encode();

        assertThatThrownBy(() -> ConsistencyToken.parse(""))
                .isInstanceOf(InvalidConsistencyTokenException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> ConsistencyToken.parse(good.substring(0, 20)))
                .isInstanceOf(InvalidConsistencyTokenException.class)
                .hasMessageContaining("has 20 characters, expected 39");
        assertThatThrownBy(() -> ConsistencyToken.parse(good.substring(0, 38) + "="))
                .isInstanceOf(InvalidConsistencyTokenException.class).hasMessageContaining("[A-Za-z0-9_-]");
        char flipped = good.charAt(10) == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> ConsistencyToken.parse(good.substring(0, 10) + flipped + good.substring(11)))
                .isInstanceOf(InvalidConsistencyTokenException.class).hasMessageContaining("checksum");
        String version2 = "Ag" + good.substring(2);
        assertThatThrownBy(() -> ConsistencyToken.parse(version2))
                .isInstanceOf(InvalidConsistencyTokenException.class).hasMessageContaining("format version 2");
    }

    @Test
    void errorMessagesNeverEchoTheToken() {
        String good = ConsistencyToken.of(SYSTEM, 3, 12345, AT).encode();
        String altered = good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11);
        assertThatThrownBy(() -> ConsistencyToken.parse(altered)).message().doesNotContain(altered.substring(0, 12));
    }

    @Test
    void tokensFromRequestsFallBackSafely() {
        ConsistencyToken token = ConsistencyToken.of(SYSTEM, 1, 99, AT);
        assertThat(Consistency.afterToken(null)).isEqualTo(Consistency.eventual());
        assertThat(Consistency.afterToken(" ")).isEqualTo(Consistency.eventual());
        assertThat(Consistency.afterToken("garbage"))
                .isEqualTo(Consistency.invalidToken(InvalidConsistencyTokenException.Problem.LENGTH));
        assertThat(Consistency.afterToken(token.encode())).isEqualTo(Consistency.after(token));
    }

    @Test
    void aSessionMovesForwardAndSurvivesForeignAndDamagedTokens() {
        ConsistencyToken early = ConsistencyToken.of(42, 1, 0x1000, java.time.Instant.ofEpochMilli(1_000));
        ConsistencyToken late = ConsistencyToken.of(42, 1, 0x2000, java.time.Instant.ofEpochMilli(2_000));
        ConsistencyToken foreign = ConsistencyToken.of(7, 1, 0x9000, java.time.Instant.ofEpochMilli(3_000));

        ConsistencySession session = ConsistencySession.restore(late.encode()).record(early);
        assertThat(session.token()).contains(late);
        assertThat(session.consistency()).isEqualTo(Consistency.after(late));

        ConsistencySession carried = ConsistencySession.restore(foreign.encode()).record(early);
        assertThat(carried.token()).contains(early);

        ConsistencySession damaged = ConsistencySession.restore(late.encode().substring(0, 30));
        assertThat(damaged.consistency())
                .isEqualTo(Consistency.invalidToken(InvalidConsistencyTokenException.Problem.LENGTH));
        assertThat(damaged.toString()).isEqualTo("ConsistencySession[untrusted token: LENGTH]");
        assertThat(damaged.record(early).consistency()).isEqualTo(Consistency.after(early));
        assertThat(ConsistencySession.restore(null).consistency()).isEqualTo(Consistency.eventual());
        assertThat(ConsistencySession.empty().encoded()).isEmpty();
    }
}
