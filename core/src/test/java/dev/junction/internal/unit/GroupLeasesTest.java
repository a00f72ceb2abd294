package dev.junction.internal.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.UnitReport;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The connections of a parallel group, over a router that counts what it lends (issue 23). */
class GroupLeasesTest {
    private static final RouteRequest PINNED = new RouteRequest(Intent.READ, Set.of(), "replica-1");

    @Test
    void aSiblingRefusedAnExtraConnectionRunsOnTheOneTheGroupHoldsOnceItIsHandedBack() throws Exception {
        CountingRouter router = new CountingRouter(false);
        GroupLeases group = new GroupLeases(router);
        Lease first = group.acquire(PINNED, null);
        CompletableFuture<Lease> second = CompletableFuture.supplyAsync(() -> group.acquire(PINNED, null));
        awaitUntil(() -> router.tries.get() == 1);
        assertThat(second).isNotDone();

        first.release(null);
        Lease handed = second.get();
        handed.release(null);
        group.close();

        assertThat(router.acquires.get()).isEqualTo(1);
        assertThat(router.released).hasSize(1);
        assertThat(handed.node()).isEqualTo(first.node());
        assertThat(group.summary(2)).isEqualTo(new UnitReport.Group(2, 1, 1));
    }

    @Test
    void aConnectionThatFailedGoesBackToTheRouterAndTheWaitingSiblingTakesItsOwn() throws Exception {
        CountingRouter router = new CountingRouter(false);
        GroupLeases group = new GroupLeases(router);
        Lease first = group.acquire(PINNED, null);
        CompletableFuture<Lease> second = CompletableFuture.supplyAsync(() -> group.acquire(PINNED, null));
        awaitUntil(() -> router.tries.get() == 1);

        first.release(new SQLException("connection reset", "08006"));
        Lease own = second.get();
        own.release(null);
        group.close();

        assertThat(router.acquires.get()).isEqualTo(2);
        assertThat(router.released).hasSize(2);
        assertThat(router.released.get(0)).isInstanceOf(SQLException.class);
        assertThat(group.summary(2)).isEqualTo(new UnitReport.Group(2, 1, 0));
    }

    @Test
    void anExtraConnectionAvailableAtOnceGivesEachWorkItsOwn() {
        CountingRouter router = new CountingRouter(true);
        GroupLeases group = new GroupLeases(router);
        Lease first = group.acquire(PINNED, null);
        Lease second = group.acquire(PINNED, null);
        first.release(null);
        second.release(null);
        group.close();

        assertThat(router.acquires.get()).isEqualTo(1);
        assertThat(router.tries.get()).isEqualTo(1);
        assertThat(router.released).hasSize(2);
        assertThat(group.summary(2)).isEqualTo(new UnitReport.Group(2, 2, 0));
    }

    @Test
    void aLeaseNobodyWaitsForGoesBackToTheRouterAtOnce() {
        CountingRouter router = new CountingRouter(false);
        GroupLeases group = new GroupLeases(router);
        group.acquire(PINNED, null).release(null);

        assertThat(router.released).hasSize(1);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    /** Lends leases without connections; {@code tryAcquire} lends one only when {@code spare}. */
    private static final class CountingRouter implements ConnectionRouter {
        private final boolean spare;
        final AtomicInteger acquires = new AtomicInteger();
        final AtomicInteger tries = new AtomicInteger();
        final List<@Nullable Throwable> released = new CopyOnWriteArrayList<>();

        CountingRouter(boolean spare) {
            this.spare = spare;
        }

        @Override
        public Lease acquire(RouteRequest request) {
            acquires.incrementAndGet();
            return new CountedLease();
        }

        @Override
        public @Nullable Lease tryAcquire(RouteRequest request) {
            tries.incrementAndGet();
            return spare ? new CountedLease() : null;
        }

        @Override
        public void close() {
        }

        private final class CountedLease implements Lease {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public Connection connection() {
                throw new UnsupportedOperationException("no connection in this test");
            }

            @Override
            public NodeRef node() {
                return new NodeRef("replica-1", Role.REPLICA);
            }

            @Override
            public String reason() {
                return "pinned";
            }

            @Override
            public void release(@Nullable Throwable failure) {
                assertThat(done.compareAndSet(false, true)).as("released once").isTrue();
                released.add(failure);
            }
        }
    }
}
