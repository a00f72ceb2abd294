package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.routing.BreakerState;
import dev.junction.routing.CircuitBreakerSettings;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Readmission with backoff for a flapping node (issue 20 item 5): the pure rule and the breaker that uses it. */
class ReadmissionTest {
    private static final long MS = 1_000_000L;
    private final Readmission rule = new Readmission(Duration.ofSeconds(1), Duration.ofSeconds(8));

    @Test
    void aFirstOpeningWaitsTheBase() {
        Readmission.State s = rule.opened(Readmission.State.FRESH, 0);
        assertThat(s.waitNanos()).isEqualTo(1_000 * MS);
        assertThat(Readmission.blocks(s, 999 * MS)).isTrue();
        assertThat(Readmission.blocks(s, 1_000 * MS)).isFalse();
        assertThat(Readmission.backedOff(s)).isFalse();
    }

    @Test
    void eachOpeningSoonAfterTheWaitEndedDoublesItUpToTheMaximum() {
        Readmission.State s = rule.opened(Readmission.State.FRESH, 0);
        long now = 0;
        long[] waits = new long[6];
        for (int i = 0; i < waits.length; i++) {
            now = s.endsNanos() + 500 * MS; // readmitted, and down again half a second later
            s = rule.opened(s, now);
            waits[i] = s.waitNanos() / MS;
        }
        assertThat(waits).containsExactly(2_000, 4_000, 8_000, 8_000, 8_000, 8_000);
        assertThat(Readmission.backedOff(s)).isTrue();
    }

    @Test
    void aNodeThatStaysInForTheMaximumWaitIsForgiven() {
        Readmission.State s = rule.opened(Readmission.State.FRESH, 0);
        s = rule.opened(s, s.endsNanos() + MS);
        s = rule.opened(s, s.endsNanos() + MS);
        assertThat(s.waitNanos()).isEqualTo(4_000 * MS);
        Readmission.State forgiven = rule.opened(s, s.endsNanos() + 8_000 * MS);
        assertThat(forgiven.waitNanos()).isEqualTo(1_000 * MS);
        assertThat(rule.opened(s, s.endsNanos() + 7_999 * MS).waitNanos()).as("not quite").isEqualTo(8_000 * MS);
    }

    @Test
    void foundDownAgainWhileOutTheWaitStartsOverWithoutAStrike() {
        Readmission.State s = rule.opened(Readmission.State.FRESH, 0);
        Readmission.State again = rule.stillDown(s, 700 * MS);
        assertThat(again.waitNanos()).isEqualTo(1_000 * MS);
        assertThat(again.endsNanos()).isEqualTo(1_700 * MS);
        assertThat(again.strikes()).isZero();
    }

    @Test
    void aMaximumBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Readmission(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMaximumEqualToTheBaseMeansEveryWaitIsTheBase() {
        Readmission flat = new Readmission(Duration.ofSeconds(1), Duration.ofSeconds(1));
        Readmission.State s = flat.opened(Readmission.State.FRESH, 0);
        for (int i = 0; i < 5; i++) {
            s = flat.opened(s, s.endsNanos() + MS);
            assertThat(s.waitNanos()).isEqualTo(1_000 * MS);
        }
    }

    @Test
    void aBaseOfZeroOrLessIsRefused() {
        assertThatThrownBy(() -> new Readmission(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Readmission(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strikesStopCountingOnceTheWaitReachesTheMaximum() {
        // 1 s, 2 s, 4 s, then 8 s: three strikes reach the maximum; further openings keep the state as it is
        Readmission.State s = rule.opened(Readmission.State.FRESH, 0);
        for (int i = 0; i < 40; i++) {
            s = rule.opened(s, s.endsNanos() + MS);
            assertThat(s.waitNanos()).as("opening " + i).isEqualTo(Math.min(8_000, 1_000L << s.strikes()) * MS);
        }
        assertThat(s.strikes()).isEqualTo(3);
        assertThat(s.waitNanos()).isEqualTo(8_000 * MS);
    }

    /** Doubling never overflows into a short or negative wait, whatever the ratio of maximum to base. */
    @Test
    void aFlappingNodeWaitsTheMaximumEvenWhenDoublingWouldOverflow() {
        for (long base : new long[] {1, 3, 1L << 40}) {
            Readmission huge = new Readmission(Duration.ofNanos(base), Duration.ofNanos(Long.MAX_VALUE));
            Readmission.State s = huge.opened(Readmission.State.FRESH, 0);
            for (int i = 0; i < 80; i++) {
                s = huge.opened(s, 0); // down again at once, every time
                assertThat(s.waitNanos()).as("base %d, opening %d", base, i).isBetween(base, Long.MAX_VALUE);
            }
            assertThat(s.waitNanos()).as("base %d", base).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void aNodeNeverShutOutIsNeverBlockedWhateverTheClockReads() {
        // System.nanoTime() may be negative
        assertThat(Readmission.blocks(Readmission.State.FRESH, -5 * MS)).isFalse();
        assertThat(Readmission.blocks(Readmission.State.FRESH, 0)).isFalse();
        assertThat(Readmission.backedOff(Readmission.State.FRESH)).isFalse();
    }

    @Test
    void aNodeFoundDownBeforeItWasEverShutOutIsShutOutForTheBase() {
        Readmission.State s = rule.stillDown(Readmission.State.FRESH, 100 * MS);
        assertThat(s.opened()).isTrue();
        assertThat(s.waitNanos()).isEqualTo(1_000 * MS);
        assertThat(Readmission.blocks(s, 1_099 * MS)).isTrue();
        assertThat(Readmission.blocks(s, 1_100 * MS)).isFalse();
    }

    /** The breaker keeps a node that failed again right after its readmission out twice as long, and counts it. */
    @Test
    void theBreakerOfANodeThatFailsRightAfterItsReadmissionStaysOpenTwiceAsLong() throws InterruptedException {
        NodeBreaker breaker = new NodeBreaker("junction-flappy", CircuitBreakerSettings.builder()
                .waitInOpenState(Duration.ofMillis(20)).maxWaitInOpenState(Duration.ofSeconds(10)).build());
        breaker.open();
        assertThat(breaker.blocks()).isTrue();
        assertThat(breaker.currentWait()).isEqualTo(Duration.ofMillis(20));
        Thread.sleep(40);
        assertThat(breaker.tryAcquirePermission()).as("a trial call once the wait passed").isTrue();
        breaker.releasePermission();
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        breaker.open(); // found down again at once
        assertThat(breaker.currentWait()).isEqualTo(Duration.ofMillis(40));
        assertThat(breaker.blocks()).isTrue();
        assertThat(breaker.tryAcquirePermission()).as("no permission while kept out").isFalse();
        assertThat(breaker.openings()).isEqualTo(2);
        assertThat(breaker.backoffs()).isEqualTo(1);
        assertThat(breaker.description()).contains("trial calls after 40ms").contains("lengthened 1 time(s)");
    }

    /**
     * A node flapping with arbitrary down and up periods, each up period shorter than the maximum wait (so it is
     * never forgiven), checked by a monitor every {@code interval}: it is readmitted at most about
     * {@code log2(max / base) + 1 + T / max} times over T, every wait lies between the base and the maximum, and it
     * is never readmitted while its wait runs.
     */
    @Property
    void aFlappingNodeIsReadmittedABoundedNumberOfTimes(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 5_000) Integer> downMillis,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 7_999) Integer> upMillis,
            @ForAll @IntRange(min = 10, max = 1_000) int intervalMillis) {
        long base = 1_000;
        long max = 8_000;
        Readmission r = new Readmission(Duration.ofMillis(base), Duration.ofMillis(max));
        Readmission.State s = Readmission.State.FRESH;
        boolean open = false;
        int readmissions = 0;
        long t = 0;
        for (int cycle = 0; cycle < Math.min(downMillis.size(), upMillis.size()); cycle++) {
            for (long end = t + downMillis.get(cycle); t < end; t += intervalMillis) {
                s = open ? r.stillDown(s, t * MS) : r.opened(s, t * MS);
                open = true;
                assertThat(s.waitNanos()).isBetween(base * MS, max * MS);
            }
            for (long end = t + upMillis.get(cycle); t < end; t += intervalMillis) {
                if (open && !Readmission.blocks(s, t * MS)) {
                    assertThat(t * MS).as("readmitted only after the wait").isGreaterThanOrEqualTo(s.endsNanos());
                    open = false;
                    readmissions++;
                }
            }
        }
        int doublings = 3; // 1 s -> 2 s -> 4 s -> 8 s
        assertThat(readmissions).as("readmissions over %d ms", t).isLessThanOrEqualTo(doublings + 2 + (int) (t / max));
    }

    /** Whatever the events, an opening is a strike only when it comes less than the maximum after the last wait. */
    @Property
    void onlyAnOpeningSoonAfterTheLastWaitIsAStrike(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 20_000) Integer> gapsAfterWaitMillis) {
        Readmission r = new Readmission(Duration.ofMillis(500), Duration.ofMillis(8_000));
        Readmission.State s = r.opened(Readmission.State.FRESH, 0);
        for (int gap : gapsAfterWaitMillis) {
            Readmission.State next = r.opened(s, s.endsNanos() + gap * MS);
            if (gap >= 8_000) {
                assertThat(next.strikes()).isZero();
                assertThat(next.waitNanos()).isEqualTo(500 * MS);
            } else {
                assertThat(next.strikes()).isEqualTo(Math.min(s.strikes() + 1, 4));
                assertThat(next.waitNanos()).isGreaterThanOrEqualTo(s.waitNanos());
            }
            s = next;
        }
    }
}
