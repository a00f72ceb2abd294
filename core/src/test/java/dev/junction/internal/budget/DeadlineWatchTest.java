package dev.junction.internal.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The watch runs an armed cancel once its deadline has passed, never before it and never once disarmed, also for a
 * statement armed after the watch went idle and parked. The latches' timeouts only keep a broken watch from hanging
 * the build; no assertion is on how long anything took.
 */
class DeadlineWatchTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void anArmedCancelRunsOnceItsDeadlineHasPassedAndNotBefore() throws InterruptedException {
        try (DeadlineWatch watch = DeadlineWatch.start("test-watch", MS, 5 * MS)) {
            long deadline = System.nanoTime() + 30 * MS;
            AtomicLong ranAt = new AtomicLong();
            CountDownLatch ran = new CountDownLatch(1);
            watch.arm(deadline, () -> {
                ranAt.set(System.nanoTime());
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("the cancel ran").isTrue();
            assertThat(ranAt.get() - deadline).as("nanoseconds from the deadline to the cancel").isNotNegative();
        }
    }

    @Test
    void aDisarmedCancelNeverRuns() throws InterruptedException {
        try (DeadlineWatch watch = DeadlineWatch.start("test-watch", MS, 5 * MS)) {
            CountDownLatch disarmedRan = new CountDownLatch(1);
            DeadlineWatch.Armed armed = watch.arm(System.nanoTime() + 20 * MS, disarmedRan::countDown);
            watch.disarm(armed);
            // A later cancel that does run: once it has, the watch has looked past the disarmed one's deadline.
            CountDownLatch later = new CountDownLatch(1);
            watch.arm(System.nanoTime() + 40 * MS, later::countDown);
            assertThat(later.await(10, TimeUnit.SECONDS)).as("the later cancel ran").isTrue();
            assertThat(disarmedRan.getCount()).as("runs of the disarmed cancel left to count").isEqualTo(1);
        }
    }

    @Test
    void aStatementArmedAfterTheWatchParkedIsStillCancelled() throws InterruptedException {
        try (DeadlineWatch watch = DeadlineWatch.start("test-watch", MS, 5 * MS)) {
            DeadlineWatch.Armed first = watch.arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(60), () -> { });
            watch.disarm(first);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!watch.isParked() && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            assertThat(watch.isParked()).as("the watch parked once idle").isTrue();
            CountDownLatch ran = new CountDownLatch(1);
            watch.arm(System.nanoTime() + 10 * MS, ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("the cancel armed on a parked watch ran").isTrue();
        }
    }
}
