package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.JunctionException;
import dev.junction.PrimaryUnavailableException;
import dev.junction.WriteInterruptedException;
import dev.junction.testkit.Causes;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.TcpProxy;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A blackholed primary (issue 20 item 3): alive, still a primary, but no byte reaches it or comes back, as behind a
 * network partition, so nothing fails fast and only timeouts fire. The platform promotes the replica; the router
 * has to find the new primary and take writes there, with every write that was in flight on the old one failing as
 * {@link WriteInterruptedException} with the right {@code mayHaveBeenApplied}, and no caller held longer than the
 * configured timeouts allow. Its own cluster, since a promotion cannot be undone.
 */
class BlackholedPrimaryIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MONITOR_TIMEOUT = Duration.ofSeconds(1);

    /** One write of the steady writer: when it started and ended, where it went or how it failed. */
    private record Attempt(long startNanos, long endNanos, @Nullable String node, @Nullable JunctionException error) {
        long nanos() {
            return endNanos - startNanos;
        }
    }

    private record Outcome(long nanos, @Nullable RuntimeException error) {
    }

    @Test
    void writesMoveToThePromotedReplicaAndWritesInFlightOnTheBlackholedPrimaryFailMarkedWithinTheTimeouts()
            throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            PgNode old = cluster.primary();
            PgNode next = cluster.node("replica-1");
            old.execute("create table ledger (id bigint primary key)");
            old.execute("grant all on ledger to " + cluster.user());
            cluster.awaitReplication(WAIT);
            TcpProxy proxy = old.proxy();
            // The application reaches the primary through the proxy; replication does not, so the replica holds
            // every acknowledged write when it is promoted (the platform checks that before a failover).
            RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.discovered("primary", old.proxiedJdbcUrl()))
                    .node(NodeConfig.discovered("replica-1", next.jdbcUrl()))
                    .primaryPool(PoolSettings.builder().maximumPoolSize(4).connectionTimeout(CONNECTION_TIMEOUT)
                            .connectTimeout(Duration.ofSeconds(1)).socketTimeout(SOCKET_TIMEOUT).build())
                    .monitorInterval(Duration.ofMillis(100))
                    .monitorTimeout(MONITOR_TIMEOUT)
                    .circuitBreaker(CircuitBreakerSettings.builder().waitInOpenState(Duration.ofMillis(500)).build())
                    .build();
            try (ClusterRouter router = ClusterRouter.create(config);
                 Database db = Junction.builder().router(router).transactionBudget(Duration.ofSeconds(5)).build()) {
                assertThat(router.primaryStatus().node()).isEqualTo("primary");
                db.write(tx -> tx.execute("insert into ledger values (1)"));

                // A: a statement running when the blackhole starts; its reply never comes.
                CompletableFuture<Outcome> inStatement = CompletableFuture.supplyAsync(timed(() -> db.write(
                        tx -> tx.execute("insert into ledger values (2)") + tx.fetch("select pg_sleep(1)").size())),
                        runnable -> Thread.ofVirtual().start(runnable));
                Clusters.awaitOr(WAIT, "write A's pg_sleep running on the primary", () -> (Long) old.queryValue(
                        "select count(*) from pg_stat_activity where application_name = 'junction'"
                                + " and query like '%pg_sleep%'") == 1L, () -> "");
                // B: the blackhole starts as B's work ends, so its commit goes out into it.
                AtomicLong blackholedAt = new AtomicLong();
                AtomicLong seenDownAt = new AtomicLong();
                Thread watcher = Thread.ofVirtual().start(() -> {
                    while (Clusters.status(router, "primary").up() && !Thread.currentThread().isInterrupted()) {
                        pause(2);
                    }
                    seenDownAt.set(System.nanoTime());
                });
                Outcome commitInFlight = CompletableFuture.supplyAsync(timed(() -> db.write(tx -> {
                    int n = tx.execute("insert into ledger values (3)");
                    proxy.blackhole();
                    blackholedAt.set(System.nanoTime());
                    return n;
                })), runnable -> Thread.ofVirtual().start(runnable)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Outcome statementInFlight = inStatement.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                // A steady writer, as an application's: a write, and after a failure a short pause.
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong ids = new AtomicLong(100);
                List<Attempt> attempts = new CopyOnWriteArrayList<>();
                Thread writer = Thread.ofVirtual().name("writer").start(() -> {
                    while (!stop.get()) {
                        long id = ids.incrementAndGet();
                        long start = System.nanoTime();
                        try {
                            Commit<Integer> c = db.write(tx -> tx.execute("insert into ledger values (?)", id));
                            attempts.add(new Attempt(start, System.nanoTime(), c.report().nodes().get(0).name(),
                                    null));
                        } catch (JunctionException e) {
                            attempts.add(new Attempt(start, System.nanoTime(), null, e));
                            pause(5);
                        }
                    }
                });
                long promoteCalledAt;
                long promotedAt;
                try {
                    Clusters.await(router, WAIT, "the blackholed primary is seen down",
                            () -> !Clusters.status(router, "primary").up());
                    watcher.join(WAIT);
                    next.awaitCaughtUp(WAIT); // compares with the old primary over its own, direct connection
                    promoteCalledAt = System.nanoTime();
                    next.promote(); // returns at pg_promote's next look (every 100 ms) after recovery ended
                    promotedAt = System.nanoTime();
                    Clusters.awaitOr(WAIT, "a write acknowledged on replica-1", () -> attempts.stream()
                            .anyMatch(a -> "replica-1".equals(a.node())), () -> attempts.toString());
                    pause(300); // a few more writes on the new primary
                } finally {
                    stop.set(true);
                    writer.join(WAIT);
                }
                assertThat(writer.isAlive()).as("the writer ended").isFalse();

                long firstWrite = attempts.stream().filter(a -> "replica-1".equals(a.node()))
                        .mapToLong(Attempt::endNanos).min().orElseThrow();
                List<Attempt> failed = attempts.stream().filter(a -> a.error() != null).toList();
                System.out.printf("blackholed primary: seen down %d ms after the blackhole (monitor.timeout %d ms);"
                                + " first write acknowledged on the new primary %d ms after pg_promote was called, %d ms"
                                + " after it returned; in-flight writes freed after %d ms (statement) and %d ms"
                                + " (commit), socketTimeout %d ms; %d writes refused meanwhile, the slowest in"
                                + " %.1f ms%n",
                        ms(seenDownAt.get() - blackholedAt.get()), MONITOR_TIMEOUT.toMillis(),
                        ms(firstWrite - promoteCalledAt), ms(firstWrite - promotedAt),
                        ms(statementInFlight.nanos()), ms(commitInFlight.nanos()), SOCKET_TIMEOUT.toMillis(),
                        failed.size(), failed.stream().mapToLong(Attempt::nanos).max().orElse(0) / 1e6);

                // The writes in flight: interrupted, and whether they may have been applied says where they were.
                assertThat(statementInFlight.error()).isInstanceOfSatisfying(WriteInterruptedException.class, e -> {
                    assertThat(e.node()).isEqualTo("primary");
                    assertThat(e.mayHaveBeenApplied()).as("failed before its commit was sent").isFalse();
                    assertThat(e.isRetryable()).isTrue();
                });
                assertThat(commitInFlight.error()).isInstanceOfSatisfying(WriteInterruptedException.class, e -> {
                    assertThat(e.node()).isEqualTo("primary");
                    assertThat(e.mayHaveBeenApplied()).as("its commit was on its way").isTrue();
                    assertThat(e.isRetryable()).isFalse();
                });
                // Only socketTimeout can end them (nothing is closed, the cancel request vanishes too, and the
                // fence comes with the promotion, later): each ended when its one socket read timed out, and nothing
                // after it (the rollback, the release) waited on the blackholed primary again.
                for (Outcome o : List.of(statementInFlight, commitInFlight)) {
                    assertThat(o.error()).hasRootCauseInstanceOf(SocketTimeoutException.class);
                    assertThat(Causes.socketTimeouts(o.error())).as("socket timeouts in %s", o.error()).isEqualTo(1);
                    assertThat(o.nanos()).isGreaterThanOrEqualTo(SOCKET_TIMEOUT.toNanos());
                }

                // Switched: the router writes to the promoted replica, and did so from its first write there on.
                assertThat(router.primaryStatus().node()).isEqualTo("replica-1");
                assertThat(attempts.stream().filter(a -> a.startNanos() > firstWrite))
                        .allMatch(a -> "replica-1".equals(a.node()), "every later write on replica-1");
                // No caller was held beyond the timeouts: a failed write waited out at most one reply (one socket
                // timeout in its causes; a retry or a rollback that waited again would add one).
                assertThat(failed).isNotEmpty().allSatisfy(a -> {
                    assertThat(a.error()).isInstanceOfAny(PrimaryUnavailableException.class,
                            WriteInterruptedException.class);
                    assertThat(a.error().isRetryable()).as(a.error().getMessage()).isTrue();
                    assertThat(Causes.socketTimeouts(a.error())).as("socket timeouts in %s", a.error()).isLessThanOrEqualTo(1);
                });
                // Once the monitor had seen the primary down, writes were refused by the router's verdict, without
                // trying the primary: a refusal that tried (a connect or a borrow that timed out) carries that cause.
                assertThat(failed.stream().filter(a -> a.startNanos() > seenDownAt.get()))
                        .allMatch(a -> a.error() instanceof PrimaryUnavailableException && a.error().getCause() == null,
                                "refused by the verdict, without a connection attempt");
                // Every acknowledged write is on the new primary.
                long onNew = (Long) next.queryValue("select count(*) from ledger where id = 1 or id > 100");
                assertThat(onNew).isEqualTo(1 + attempts.stream().filter(a -> a.node() != null).count());
                assertThat(next.queryValue("select count(*) from ledger where id in (2, 3)"))
                        .as("neither write in flight reached the server's commit").isEqualTo(0L);
            }
        }
    }

    /**
     * The failover fence: a write blocked in a socket read on the blackholed primary, with a {@code socketTimeout}
     * far longer than the failover, fails as soon as the election moves to the promoted replica, not when its
     * timeout runs out; nothing else can end it, since the server never answers and nothing is closed.
     */
    @Test
    void aWriteBlockedOnTheBlackholedPrimaryFailsWhenTheElectionMovesToThePromotedReplica() throws Exception {
        Duration longSocketTimeout = Duration.ofSeconds(20);
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            PgNode old = cluster.primary();
            PgNode next = cluster.node("replica-1");
            old.execute("create table ledger (id bigint primary key)");
            old.execute("grant all on ledger to " + cluster.user());
            cluster.awaitReplication(WAIT);
            TcpProxy proxy = old.proxy();
            RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.discovered("primary", old.proxiedJdbcUrl()))
                    .node(NodeConfig.discovered("replica-1", next.jdbcUrl()))
                    .primaryPool(PoolSettings.builder().maximumPoolSize(4).connectionTimeout(CONNECTION_TIMEOUT)
                            .connectTimeout(Duration.ofSeconds(1)).socketTimeout(longSocketTimeout).build())
                    .monitorInterval(Duration.ofMillis(100))
                    .monitorTimeout(MONITOR_TIMEOUT)
                    .build();
            try (ClusterRouter router = ClusterRouter.create(config);
                 Database db = Junction.builder().router(router).transactionBudget(longSocketTimeout.multipliedBy(2))
                         .build()) {
                // pg_sleep(5): long enough for a poll on a loaded machine to see it running (with 1 s the poll
                // missed it at load 22), far below the 20 s socketTimeout, so only the fence can end it early.
                CompletableFuture<Outcome> blocked = CompletableFuture.supplyAsync(timed(() -> db.write(
                        tx -> tx.execute("insert into ledger values (1)") + tx.fetch("select pg_sleep(5)").size())),
                        runnable -> Thread.ofVirtual().start(runnable));
                Clusters.awaitOr(WAIT, "the write's pg_sleep running on the primary", () -> (Long) old.queryValue(
                        "select count(*) from pg_stat_activity where application_name = 'junction'"
                                + " and query like '%pg_sleep%'") == 1L, () -> "");
                proxy.blackhole();
                Clusters.await(router, WAIT, "the blackholed primary is seen down",
                        () -> !Clusters.status(router, "primary").up());
                next.awaitCaughtUp(WAIT);
                long promoting = System.nanoTime();
                next.promote();
                Outcome outcome = blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                long ended = System.nanoTime();

                assertThat(router.primaryStatus().node()).isEqualTo("replica-1");
                assertThat(outcome.error()).isInstanceOfSatisfying(WriteInterruptedException.class, e -> {
                    assertThat(e.node()).isEqualTo("primary");
                    assertThat(e.mayHaveBeenApplied()).as("failed in its statement, before its commit").isFalse();
                });
                // Ended by the fence once the promotion was under way (its connection aborted), not by its
                // socketTimeout: no socket read timed out anywhere in the failure.
                assertThat(ended).isGreaterThan(promoting);
                assertThat(Causes.socketTimeouts(outcome.error())).as("socket timeouts in %s", outcome.error()).isZero();
                assertThat(next.queryValue("select count(*) from ledger where id = 1")).isEqualTo(0L);
            }
        }
    }

    private static Supplier<Outcome> timed(Supplier<?> write) {
        return () -> {
            long start = System.nanoTime();
            try {
                write.get();
                return new Outcome(System.nanoTime() - start, null);
            } catch (RuntimeException e) {
                return new Outcome(System.nanoTime() - start, e);
            }
        };
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
