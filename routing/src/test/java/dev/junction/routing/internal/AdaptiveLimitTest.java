package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
    private static final int POOL = 8;
    private static final int CEILING = 24;
    private static final long HOLD = 2_000_000; // 2 ms
    private static final long BUDGET = 1_000_000_000; // 1 s

    /** Keeps {@code callers} at the node (as many as the limit admits) and completes {@code calls} of them. */
    private static void run(AdaptiveLimit limit, int callers, int calls, long waitNanos, long holdNanos) {
        for (int i = 0; i < calls; i++) {
            while (limit.inFlight() < callers && limit.tryAcquire()) {
                limit.onWait(waitNanos);
            }
            limit.onRelease(holdNanos);
        }
    }

    @Test
    void startsAtTheCeilingSoAnUnmeasuredNodeIsTreatedLikeTheFixedBulkhead() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        assertThat(limit.limit()).isEqualTo(CEILING);
    }

    @Test
    void aQueueNoLongerThanTheHoldTimeKeepsTheLimitAtTheCeiling() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        run(limit, CEILING, 2_000, HOLD / 2, HOLD);
        assertThat(limit.limit()).isEqualTo(CEILING);
    }

    @Test
    void waitsFarLongerThanTheHoldTimeShrinkTheLimitToThePoolSize() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        run(limit, CEILING, 2_000, 20 * HOLD, HOLD);
        assertThat(limit.limit()).isEqualTo(POOL);
    }

    @Test
    void waitsSomewhatLongerThanTheHoldTimeSettleBetweenPoolSizeAndCeiling() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        // gradient 2/3: the fixed point of L = 2L/3 + sqrt(L) is 9; the smoothing reaches it from above
        run(limit, CEILING, 5_000, 3 * HOLD / 2, HOLD);
        assertThat(limit.limit()).isBetween(POOL + 1, CEILING - 1);
    }

    @Test
    void theLimitGrowsBackToTheCeilingOnceTheQueueDrains() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        run(limit, CEILING, 2_000, 20 * HOLD, HOLD);
        assertThat(limit.limit()).isEqualTo(POOL);
        run(limit, CEILING, 5_000, 0, HOLD);
        assertThat(limit.limit()).isEqualTo(CEILING);
    }

    @Test
    void callersBeyondTheLimitAreTurnedAwayAtOnceAndCounted() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        run(limit, CEILING, 2_000, 20 * HOLD, HOLD);
        long shedBefore = limit.sheds();
        int admitted = 0;
        while (limit.tryAcquire()) {
            admitted++;
        }
        assertThat(limit.inFlight()).isEqualTo(POOL);
        assertThat(limit.sheds()).isEqualTo(shedBefore + 1);
        limit.release();
        assertThat(limit.tryAcquire()).as("a place given back is free again (admitted %d)", admitted).isTrue();
    }

    @Test
    void neverAdmitsMoreCallersThanThePoolCanServeWithinTheWaitBudgetAtTheMeasuredHoldTime() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, 200, BUDGET);
        // 100 ms per hold, no queue yet: 8 connections serve a queue of 8 * 0.5 s / 100 ms = 40 within half the
        // budget, so at most 48 callers, however good the waits look
        run(limit, 200, 2_000, 0, 100_000_000);
        assertThat(limit.limit()).isEqualTo(48);
    }

    @Test
    void samplesFromAnIdleNodeDoNotMoveTheLimit() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        // 2 callers at a node allowed 24: below half the limit, even long waits say nothing about its queue
        run(limit, 2, 2_000, 20 * HOLD, HOLD);
        assertThat(limit.limit()).isEqualTo(CEILING);
    }

    @Test
    void aWaitThatRanOutShrinksTheLimitAtOnceButNeverBelowThePoolSize() {
        AdaptiveLimit limit = new AdaptiveLimit(POOL, CEILING, BUDGET);
        assertThat(limit.tryAcquire()).isTrue();
        limit.onDropped();
        assertThat(limit.limit()).isEqualTo((int) Math.floor(CEILING * 0.9));
        assertThat(limit.inFlight()).isZero();
        for (int i = 0; i < 100; i++) {
            limit.tryAcquire();
            limit.onDropped();
        }
        assertThat(limit.limit()).isEqualTo(POOL);
    }

    @Test
    void aFloorAboveTheCeilingIsRefused() {
        assertThatThrownBy(() -> new AdaptiveLimit(9, 8, BUDGET)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min 9, max 8");
        assertThatThrownBy(() -> new AdaptiveLimit(0, 8, BUDGET)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdaptiveLimit(1, 8, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
