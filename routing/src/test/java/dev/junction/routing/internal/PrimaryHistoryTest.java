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
    void lsnTextRoundTrips() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Lsn.format(Lsn.parse("0/3000148"))).isEqualTo("0/3000148");
        assertThat(Lsn.bytesBehind(Lsn.parse("0/2000"), Lsn.parse("0/1000"))).isEqualTo(0x1000);
    }
}
