package dev.junction.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The benchmarks' percentiles: nearest rank, within HdrHistogram's 0.1%, whatever order the values came in. */
class LatenciesTest {
    private static final long MS = 1_000_000;

    @Test
    void percentilesOfOneToAThousandMillisecondsAreTheNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            values.add(i * MS);
        }
        Collections.shuffle(values, new Random(7));
        Latencies latencies = Latencies.of(values);
        assertThat(latencies.count()).isEqualTo(1000);
        assertThat(latencies.percentileMs(0.5)).isCloseTo(500, within(0.5));
        assertThat(latencies.percentileMs(0.95)).isCloseTo(950, within(0.95));
        assertThat(latencies.percentileMs(0.99)).isCloseTo(990, within(0.99));
        assertThat(latencies.percentileMs(1)).isCloseTo(1000, within(1.0));
        assertThat(latencies.percentileMs(0)).isCloseTo(1, within(0.001));
    }

    @Test
    void aTailOfOnePercentIsOutsideP99AndInsideP995() {
        long[] values = new long[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 990 ? 2 * MS : 3_000 * MS;
        }
        Latencies latencies = Latencies.of(values);
        assertThat(latencies.percentileMs(0.99)).isCloseTo(2, within(0.002));
        assertThat(latencies.percentileMs(0.995)).isCloseTo(3_000, within(3.0));
        assertThat(latencies.medianNanos()).isCloseTo(2 * MS, within(2_000.0));
    }

    @Test
    void recordersAddUpAndAnEmptyOneAnswersZero() {
        Latencies a = Latencies.of(10 * MS, 20 * MS);
        Latencies b = Latencies.of(30 * MS, 40 * MS);
        a.addAll(b);
        assertThat(a.count()).isEqualTo(4);
        assertThat(a.percentileMs(0.5)).isCloseTo(20, within(0.02));
        assertThat(a.percentileMs(0.75)).isCloseTo(30, within(0.03));
        assertThat(new Latencies().percentileMs(0.99)).isZero();
        assertThat(Latencies.of(-5).percentileNanos(1)).isZero();
    }

    @Test
    void aPercentageInsteadOfAFractionIsRefused() {
        Latencies latencies = Latencies.of(MS);
        assertThatThrownBy(() -> latencies.percentileNanos(95)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.95 for p95");
        assertThatThrownBy(() -> latencies.percentileNanos(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
