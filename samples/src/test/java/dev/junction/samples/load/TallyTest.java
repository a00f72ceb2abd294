package dev.junction.samples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run's tally: the overall and per-request percentiles are those of the recorded latencies (nearest rank, within
 * HdrHistogram's 0.1%), errors are counted per request of the mix and by kind.
 */
class TallyTest {
    private static final long MS = 1_000_000;

    @Test
    void percentilesPerRequestOfTheMixAndOverallAreThoseOfTheRecordedLatencies() {
        Tally tally = new Tally(new String[] {"members", "search", "signup"});
        // members: 1..100 ms; search: 200 times 5 ms; signup: never sent.
        for (int i = 100; i >= 1; i--) {
            tally.record(0, i * MS, null);
        }
        for (int i = 0; i < 200; i++) {
            tally.record(1, 5 * MS, i < 3 ? "timeout" : null);
        }
        Map<String, LoadResult.Endpoint> endpoints = tally.endpoints();
        assertThat(endpoints).containsOnlyKeys("members", "search");
        LoadResult.Endpoint members = endpoints.get("members");
        assertThat(members.requests()).isEqualTo(100);
        assertThat(members.errors()).isZero();
        assertThat(members.p50Ms()).isCloseTo(50, within(0.05));
        assertThat(members.p95Ms()).isCloseTo(95, within(0.1));
        assertThat(members.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(endpoints.get("search").p99Ms()).isCloseTo(5, within(0.005));
        assertThat(endpoints.get("search").errors()).isEqualTo(3);

        // Overall: 300 latencies, 200 of them 5 ms, so the median is 5 ms and p95 is the members' 85 ms.
        assertThat(tally.requests()).isEqualTo(300);
        assertThat(tally.all().percentileMs(0.5)).isCloseTo(5, within(0.005));
        assertThat(tally.all().percentileMs(0.95)).isCloseTo(85, within(0.1));
        assertThat(tally.errors()).isEqualTo(3);
        assertThat(tally.errorsByKind()).containsExactly(Map.entry("timeout", 3L));
    }
}
