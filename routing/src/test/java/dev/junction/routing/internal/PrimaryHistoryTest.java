package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrimaryHistoryTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anIdlePrimaryMeansNoLagForACaughtUpReplica() {
        PrimaryHistory h = new PrimaryHistory(100);
        for (int t = 0; t < 60; t++) {
            h.add(t * S, 1000);
        }
        assertThat(h.bytesBehind(1000)).isZero();
        assertThat(h.lag(1000, 60 * S)).isEqualTo(Duration.ZERO);
    }

    @Test
    void lagIsTheAgeOfTheNewestPrimaryPositionTheReplicaHasReached() {
        PrimaryHistory h = new PrimaryHistory(100);
        h.add(0, 1000);
        h.add(1 * S, 2000);
        h.add(2 * S, 3000);
        h.add(3 * S, 4000);
        assertThat(h.bytesBehind(2500)).isEqualTo(1500);
        assertThat(h.lag(2500, 4 * S)).isEqualTo(Duration.ofSeconds(3)); // has everything of t=1s
        assertThat(h.lag(500, 4 * S)).as("older than the history").isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aPositionGoingBackwardsStartsANewHistory() {
        PrimaryHistory h = new PrimaryHistory(10);
        h.add(0, 5000);
        h.add(S, 100);
        assertThat(h.latest()).isEqualTo(100);
        assertThat(h.lag(100, 2 * S)).isEqualTo(Duration.ZERO);
    }

    @Test
    void afterAClearAReplicaBehindIsAsStaleAsTheTimeSinceTheNewSamples() {
        PrimaryHistory h = new PrimaryHistory(100);
        h.add(0, 1000);
        h.clear(); // the primary was out of sight from 0 to 10 s
        h.add(10 * S, 1120);
        assertThat(h.bytesBehind(1000)).isEqualTo(120);
        assertThat(h.lag(1000, 10 * S + S / 10)).isEqualTo(Duration.ofMillis(100));
        assertThat(h.lag(1000, 13 * S)).as("a replica that never catches up still ages").isEqualTo(
                Duration.ofSeconds(3));
    }

    @Test
    void beforeTheFirstSampleNothingIsKnown() {
        PrimaryHistory h = new PrimaryHistory(10);
        assertThat(h.latest()).isNull();
        assertThat(h.bytesBehind(1000)).isNull();
        assertThat(h.lag(1000, S)).isNull();
        h.add(0, 1000);
        h.clear();
        assertThat(h.latest()).as("after a clear").isNull();
        assertThat(h.lag(1000, S)).isNull();
    }

    @Test
    void aReplicaExactlyAtASampledPositionHasEverythingOfThatSample() {
        PrimaryHistory h = new PrimaryHistory(10);
        h.add(0, 1000);
        h.add(S, 2000);
        h.add(2 * S, 3000);
        assertThat(h.lag(2000, 3 * S)).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.lag(1000, 3 * S)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anIdlePrimaryRepeatingItsPositionKeepsTheOlderSamples() {
        PrimaryHistory h = new PrimaryHistory(10);
        h.add(0, 1000);
        h.add(S, 2000);
        h.add(2 * S, 2000); // idle: the same position again is not a new primary
        assertThat(h.lag(1500, 3 * S)).as("has everything of t=0 only").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aPositionGoingBackwardsForgetsTheOldPrimarysSamples() {
        PrimaryHistory h = new PrimaryHistory(10);
        h.add(0, 5000);
        h.add(S, 100);
        // behind every sample of the new primary: as stale as its oldest sample, t=1s, not the old one's t=0
        assertThat(h.lag(50, 3 * S)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void onlyTheNewestCapacitySamplesAreKept() {
        PrimaryHistory h = new PrimaryHistory(3);
        for (int t = 0; t < 4; t++) {
            h.add(t * S, 1000 + t * 1000L);
        }
        // samples at 1, 2, 3 s remain: a replica behind all of them is bounded by the oldest kept, t=1s
        assertThat(h.lag(500, 4 * S)).isEqualTo(Duration.ofSeconds(3));
        assertThat(h.lag(2000, 4 * S)).isEqualTo(Duration.ofSeconds(3));
        PrimaryHistory tiny = new PrimaryHistory(1);
        tiny.add(0, 1000);
        tiny.add(S, 2000);
        assertThat(tiny.lag(1000, 2 * S)).as("at least two samples are kept").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void lsnTextRoundTrips() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Lsn.format(Lsn.parse("0/3000148"))).isEqualTo("0/3000148");
        assertThat(Lsn.bytesBehind(Lsn.parse("0/2000"), Lsn.parse("0/1000"))).isEqualTo(0x1000);
    }
}
