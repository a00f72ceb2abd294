package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.PoolSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bound on callers at one node, split out of {@code NodeRuntime} (issue 17): places, sheds and the signals. */
class CallerLimitTest {
    private static final PoolSettings POOL = PoolSettings.builder().maximumPoolSize(2)
            .connectionTimeout(Duration.ofSeconds(1)).build();

    @Test
    void theFixedBoundAdmitsPoolSizePlusWaitingPlacesAndShedsTheNextCaller() {
        CallerLimit limit = new CallerLimit("junction-test", POOL, 1, false);

        assertThat(limit.admit()).isTrue();
        assertThat(limit.admit()).isTrue();
        assertThat(limit.admit()).isTrue();
        assertThat(limit.admit()).as("beyond 2 connections + 1 waiting place").isFalse();

        assertThat(limit.sheds()).isEqualTo(1);
        assertThat(limit.callerLimit()).isEqualTo(3);
        assertThat(limit.maxWaiting()).isEqualTo(1);
    }

    @Test
    void aParallelGroupRefusedAnExtraConnectionIsNotCountedAsShed() {
        CallerLimit limit = new CallerLimit("junction-test", POOL, 0, false);
        limit.admit();
        limit.admit();

        assertThat(limit.admitExtra()).isFalse();
        assertThat(limit.sheds()).isZero();
    }

    @Test
    void everyWayOfLeavingGivesThePlaceBack() {
        CallerLimit limit = new CallerLimit("junction-test", POOL, 0, false);
        for (int round = 0; round < 3; round++) {
            assertThat(limit.admit()).isTrue();
            assertThat(limit.admit()).isTrue();
            limit.leave();
            limit.leaveAfterHold(1_000, round == 1);
            assertThat(limit.admit()).isTrue();
            limit.leaveAfterFailedWait(round == 2);
            assertThat(limit.admit()).isTrue();
            limit.leaveAfterHold(1_000, false);
        }
        assertThat(limit.bulkhead().getMetrics().getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(limit.sheds()).isZero();
    }

    @Test
    void aWaitThatRanOutOnAHealthyNodeShrinksTheAdaptiveLimitButANodeFailureDoesNot() {
        CallerLimit limit = new CallerLimit("junction-test", POOL, 8, true);
        assertThat(limit.adaptive()).isTrue();
        assertThat(limit.callerLimit()).as("starts at the fixed bound").isEqualTo(10);

        assertThat(limit.admit()).isTrue();
        limit.leaveAfterFailedWait(true);
        assertThat(limit.callerLimit()).as("a broken node says nothing about the queue").isEqualTo(10);

        assertThat(limit.admit()).isTrue();
        limit.leaveAfterFailedWait(false);
        assertThat(limit.callerLimit()).as("the queue outgrew connectionTimeout").isEqualTo(9);
        assertThat(limit.maxWaiting()).isEqualTo(7);
        assertThat(limit.fixedMaxWaiting()).isEqualTo(8);
    }

    @Test
    void theAdaptiveLimitShedsAtItsBoundAndCountsTheShedOnce() {
        CallerLimit limit = new CallerLimit("junction-test", POOL, 0, true);
        limit.admit();
        limit.admit();

        assertThat(limit.admit()).isFalse();
        assertThat(limit.admitExtra()).isFalse();
        assertThat(limit.sheds()).as("the adaptive limit counts its own refusals, extra or not").isEqualTo(2);
    }
}
