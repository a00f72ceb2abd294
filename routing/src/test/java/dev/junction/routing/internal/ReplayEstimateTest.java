package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The replay-time estimate that keeps token reads from waiting where waiting cannot help (issue 25). */
class ReplayEstimateTest {
    private static final long MS = 1_000_000L;

    @Test
    void aReplicaNeverWaitedOnIsWorthAWait() {
        assertThat(new ReplayEstimate().worthWaiting(0, 0)).isTrue();
    }

    @Test
    void afterThreeWaitsRanOutInARowReadsSkipTheReplicaUntilTheNextProbe() {
        ReplayEstimate e = new ReplayEstimate();
        assertThat(e.worthWaiting(100 * MS, 0)).isTrue();
        e.ranOut(100 * MS);
        e.ranOut(100 * MS);
        assertThat(e.worthWaiting(100 * MS, 1 * MS)).as("two are not yet enough").isTrue();
        e.ranOut(100 * MS);
        assertThat(e.estimateNanos()).isGreaterThan(100 * MS);
        assertThat(e.worthWaiting(100 * MS, 10 * MS)).isFalse();
        assertThat(e.worthWaiting(100 * MS, 1 * MS + ReplayEstimate.PROBE_NANOS - 1)).isFalse();
        assertThat(e.worthWaiting(100 * MS, 1 * MS + ReplayEstimate.PROBE_NANOS)).as("the probe").isTrue();
        assertThat(e.worthWaiting(100 * MS, 1 * MS + ReplayEstimate.PROBE_NANOS + 1)).as("one probe a second")
                .isFalse();
    }

    @Test
    void oneWaitThatRanOutAmongFastReplaysDoesNotShutTheReplicaOut() {
        ReplayEstimate e = new ReplayEstimate();
        for (int i = 0; i < 10; i++) {
            e.worthWaiting(100 * MS, i * MS);
            e.reached(MS / 2);
        }
        e.ranOut(100 * MS);
        assertThat(e.worthWaiting(100 * MS, 20 * MS)).as("a hiccup, not a paused replica").isTrue();
    }

    @Test
    void fastReplaysBringTheEstimateBackBelowTheBound() {
        ReplayEstimate e = new ReplayEstimate();
        e.worthWaiting(100 * MS, 0);
        for (int i = 0; i < 3; i++) {
            e.ranOut(100 * MS);
        }
        for (int i = 0; i < 4; i++) {
            e.reached(MS);
        }
        assertThat(e.estimateNanos()).isLessThan(100 * MS);
        assertThat(e.worthWaiting(100 * MS, 10 * MS)).isTrue();
    }

    @Test
    void aReplicaThatReplaysFastIsWaitedOn() {
        ReplayEstimate e = new ReplayEstimate();
        for (int i = 0; i < 10; i++) {
            assertThat(e.worthWaiting(100 * MS, i * MS)).isTrue();
            e.reached(MS / 2);
        }
    }
}
