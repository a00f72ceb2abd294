package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The response-time tracker of one node (issue 20 item 4): a windowed median. */
class ResponseTimesTest {
    private static final long MS = 1_000_000L;

    @Test
    void withoutSamplesTheMedianIsUnknown() {
        ResponseTimes t = new ResponseTimes(Duration.ofSeconds(1));
        assertThat(t.medianNanos(0)).isEqualTo(-1);
        assertThat(t.latestMedianNanos()).isEqualTo(-1);
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleSampleAndOneStallDoesNotMoveIt() {
        ResponseTimes t = new ResponseTimes(Duration.ofSeconds(10));
        t.record(2 * MS, 1);
        t.record(900 * MS, 2);
        t.record(3 * MS, 3);
        assertThat(t.medianNanos(3)).isEqualTo(3 * MS);
        assertThat(t.latestMedianNanos()).isEqualTo(3 * MS);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamples() {
        ResponseTimes t = new ResponseTimes(Duration.ofSeconds(10));
        t.record(2 * MS, 1);
        t.record(4 * MS, 2);
        t.record(10 * MS, 3);
        t.record(1 * MS, 4);
        assertThat(t.medianNanos(4)).isEqualTo(3 * MS);
    }

    @Test
    void samplesOlderThanTheWindowNoLongerCount() {
        ResponseTimes t = new ResponseTimes(Duration.ofMillis(100));
        t.record(50 * MS, 0);
        t.record(50 * MS, 10 * MS);
        t.record(1 * MS, 150 * MS);
        // At 150 ms only the last sample is within 100 ms; the first two (slow) ones are forgotten.
        assertThat(t.medianNanos(150 * MS)).isEqualTo(1 * MS);
        assertThat(t.medianNanos(500 * MS)).isEqualTo(-1);
        assertThat(t.latestMedianNanos()).as("as of the last sample").isEqualTo(1 * MS);
    }

    @Test
    void atMostCapacitySamplesAreKeptTheOldestDroppedFirst() {
        ResponseTimes t = new ResponseTimes(Duration.ofDays(1));
        for (int i = 0; i < ResponseTimes.CAPACITY; i++) {
            t.record(100 * MS, i);
        }
        for (int i = 0; i < ResponseTimes.CAPACITY / 2 + 1; i++) {
            t.record(1 * MS, ResponseTimes.CAPACITY + i);
        }
        assertThat(t.medianNanos(2L * ResponseTimes.CAPACITY)).isEqualTo(1 * MS);
    }

    @Test
    void aNegativeRoundTripOrAnEmptyWindowIsRefused() {
        assertThatThrownBy(() -> new ResponseTimes(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        ResponseTimes t = new ResponseTimes(Duration.ofSeconds(1));
        assertThatThrownBy(() -> t.record(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whatever the samples, the median lies between the smallest and the largest sample in the window. */
    @Property
    void theMedianIsBetweenTheSmallestAndTheLargestSampleAndHalvesThem(
            @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 10_000_000_000L) Long> samples) {
        ResponseTimes t = new ResponseTimes(Duration.ofDays(1));
        for (int i = 0; i < samples.size(); i++) {
            t.record(samples.get(i), i);
        }
        long median = t.medianNanos(samples.size());
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(median).isBetween(sorted[0], sorted[sorted.length - 1]);
        long below = Arrays.stream(sorted).filter(s -> s < median).count();
        long above = Arrays.stream(sorted).filter(s -> s > median).count();
        assertThat(below).isLessThanOrEqualTo(sorted.length / 2);
        assertThat(above).isLessThanOrEqualTo(sorted.length / 2);
    }
}
