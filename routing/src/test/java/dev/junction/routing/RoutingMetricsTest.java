package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The breaker gauge's encoding, without a database. */
class RoutingMetricsTest {

    @Test
    void breakerStatesAreZeroClosedOneHalfOpenTwoOpen() {
        assertThat(RoutingMetrics.breakerValue(BreakerState.CLOSED)).isZero();
        assertThat(RoutingMetrics.breakerValue(BreakerState.HALF_OPEN)).isEqualTo(1);
        assertThat(RoutingMetrics.breakerValue(BreakerState.OPEN)).isEqualTo(2);
    }
}
