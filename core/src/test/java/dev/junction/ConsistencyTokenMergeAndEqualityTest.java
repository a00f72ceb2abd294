package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The token's edges: the commit times it can carry, merging with a token whose cluster is unknown (system
 * identifier 0, a role that may not read {@code pg_control_system()}), unsigned WAL positions, value equality, and
 * malformed WAL position text.
 */
class ConsistencyTokenMergeAndEqualityTest {
    private static final long SYSTEM = 7_412_345_678_901_234_567L;
    private static final Instant AT = Instant.parse("2026-11-25T06:40:00.123Z");

    @Test
    void commitTimesFrom1970ToTheLastMillisecondOf48BitsAreCarriedAndNothingOutside() {
        Instant first = Instant.EPOCH;
        Instant last = Instant.ofEpochMilli((1L << 48) - 1);
        assertThat(ConsistencyToken.parse(ConsistencyToken.of(SYSTEM, 1, 1, first).encode()).committedAt())
                .isEqualTo(first);
        assertThat(ConsistencyToken.parse(ConsistencyToken.of(SYSTEM, 1, 1, last).encode()).committedAt())
                .isEqualTo(last);
        for (Instant outside : new Instant[] {Instant.ofEpochMilli(-1), Instant.ofEpochMilli(1L << 48)}) {
            assertThatThrownBy(() -> ConsistencyToken.of(SYSTEM, 1, 1, outside))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("committedAt must be between 1970 and year 10889");
        }
        assertThatThrownBy(() -> ConsistencyToken.of(SYSTEM, 0, 1, AT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeline must be >= 1, but was 0");
    }

    @Test
    void mergingWithATokenOfUnknownClusterKeepsTheKnownIdentifierWhicheverIsLater() {
        ConsistencyToken known = ConsistencyToken.of(SYSTEM, 1, 100, AT);
        ConsistencyToken unknownLater = ConsistencyToken.of(0, 1, 200, AT.plusSeconds(1));
        ConsistencyToken unknownEarlier = ConsistencyToken.of(0, 1, 50, AT.minusSeconds(1));

        assertThat(known.merge(unknownLater)).isEqualTo(ConsistencyToken.of(SYSTEM, 1, 200, AT.plusSeconds(1)));
        assertThat(unknownLater.merge(known)).isEqualTo(ConsistencyToken.of(SYSTEM, 1, 200, AT.plusSeconds(1)));
        assertThat(known.merge(unknownEarlier)).isEqualTo(known);
        assertThat(unknownEarlier.merge(known)).isEqualTo(known);
        ConsistencyToken bothUnknown = unknownEarlier.merge(unknownLater);
        assertThat(bothUnknown.systemIdentifier()).isZero();
        assertThat(bothUnknown.lsn()).isEqualTo(200);
    }

    @Test
    void theMergedTokenCarriesTheLaterCommitTimeEvenFromTheEarlierPosition() {
        ConsistencyToken earlierPositionLaterTime = ConsistencyToken.of(SYSTEM, 1, 100, AT.plusSeconds(9));
        ConsistencyToken laterPosition = ConsistencyToken.of(SYSTEM, 1, 200, AT);
        ConsistencyToken expected = ConsistencyToken.of(SYSTEM, 1, 200, AT.plusSeconds(9));
        assertThat(earlierPositionLaterTime.merge(laterPosition)).isEqualTo(expected);
        assertThat(laterPosition.merge(earlierPositionLaterTime)).isEqualTo(expected);
        ConsistencyToken newerTimeline = ConsistencyToken.of(SYSTEM, 2, 10, AT);
        assertThat(earlierPositionLaterTime.merge(newerTimeline))
                .isEqualTo(ConsistencyToken.of(SYSTEM, 2, 10, AT.plusSeconds(9)));
    }

    @Test
    void walPositionsCompareUnsignedWhenMerging() {
        long high = ConsistencyToken.parseLsn("FFFFFFFF/0");
        ConsistencyToken beyondSignedRange = ConsistencyToken.of(SYSTEM, 1, high, AT);
        ConsistencyToken low = ConsistencyToken.of(SYSTEM, 1, 1, AT);
        assertThat(low.merge(beyondSignedRange).lsn()).isEqualTo(high);
        assertThat(beyondSignedRange.merge(low).lsn()).isEqualTo(high);
        assertThat(beyondSignedRange.lsnText()).isEqualTo("FFFFFFFF/0");
    }

    @Test
    void tokensAreEqualExactlyWhenEveryFieldIs() {
        ConsistencyToken token = ConsistencyToken.of(SYSTEM, 3, 12345, AT);
        ConsistencyToken same = ConsistencyToken.of(SYSTEM, 3, 12345, AT);
        assertThat(token).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(token).isNotEqualTo(ConsistencyToken.of(SYSTEM + 1, 3, 12345, AT))
                .isNotEqualTo(ConsistencyToken.of(SYSTEM, 4, 12345, AT))
                .isNotEqualTo(ConsistencyToken.of(SYSTEM, 3, 12346, AT))
                .isNotEqualTo(ConsistencyToken.of(SYSTEM, 3, 12345, AT.plusMillis(1)))
                .isNotEqualTo(token.encode())
                .isNotEqualTo(null);
        assertThat(token.hashCode()).as("a changed timeline or position moves the hash")
                .isNotEqualTo(ConsistencyToken.of(SYSTEM, 4, 12345, AT).hashCode())
                .isNotEqualTo(ConsistencyToken.of(SYSTEM, 3, 12346, AT).hashCode());
    }

    @Test
    void toStringIsTheEncodedFormSoItCanGoIntoAHeaderAsIs() {
        ConsistencyToken token = ConsistencyToken.of(SYSTEM, 3, 12345, AT);
        assertThat(token.toString()).isEqualTo(token.encode());
        assertThat(ConsistencyToken.parse(token.toString())).isEqualTo(token);
    }

    @Test
    void walPositionTextWithoutBothHalvesIsRefusedNamingTheExpectedForm() {
        for (String bad : new String[] {"16/", "/16", "16", ""}) {
            assertThatThrownBy(() -> ConsistencyToken.parseLsn(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("WAL position must look like 0/16B3748, but was '" + bad + "'");
        }
    }
}
