package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SplitBrainPolicy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A check without an answer does not count a node down while the node keeps completing the application's statements
 * ({@link Liveness}): the monitor's own path is what is slow, as on a saturated client. Here the monitor reaches the
 * primary through a proxy that blackholes, while the pool reaches it directly and keeps working. Without traffic,
 * the same blackholed check counts the node down at its deadline, as it must for a node that is really unreachable.
 */
@WithEmbeddedCluster(replicas = 1)
class MonitorLivenessIT {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private record Monitored(HealthMonitor monitor, List<NodeRuntime> nodes) implements AutoCloseable {
        NodeRuntime primary() {
            return nodes.get(0);
        }

        @Override
        public void close() {
            monitor.close();
            nodes.forEach(NodeRuntime::close);
        }
    }

    /** Primary and replica; the monitor checks the primary through {@code primaryProbeUrl}, its pool goes direct. */
    private static Monitored monitor(EmbeddedPostgresCluster cluster, String primaryProbeUrl) {
        List<NodeConfig> configs = List.of(NodeConfig.primary("primary", cluster.primary().jdbcUrl()),
                NodeConfig.replica("replica-1", cluster.replicas().get(0).jdbcUrl()));
        RoutingConfig.Builder b = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .monitorInterval(INTERVAL).monitorTimeout(Duration.ofSeconds(1));
        configs.forEach(b::node);
        RoutingConfig routing = b.build();
        List<NodeRuntime> nodes = new ArrayList<>();
        Map<NodeRuntime, Probe> probes = new LinkedHashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            NodeRuntime node = new NodeRuntime(configs.get(i), i, routing);
            nodes.add(node);
            String probeUrl = i == 0 ? primaryProbeUrl : configs.get(i).jdbcUrl();
            probes.put(node, new Probe(probeUrl, routing.credentials(), Duration.ofSeconds(1)));
        }
        HealthMonitor monitor = new HealthMonitor(nodes, probes,
                new LagPolicy(routing.maxReplicaLag(), null, routing.lagHysteresis()), INTERVAL, TIMEOUT, false,
                SplitBrainPolicy.NEWEST_TIMELINE);
        monitor.pollOnce();
        monitor.start();
        return new Monitored(monitor, nodes);
    }

    /** The application: leases of the primary's pool running {@code select 1}, one after another. */
    private static Thread traffic(NodeRuntime node, AtomicBoolean running, AtomicLong completed) {
        return Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                try {
                    long start = System.nanoTime();
                    Connection c = node.borrow();
                    Throwable failure = null;
                    try (Statement st = c.createStatement()) {
                        st.execute("select 1");
                        completed.incrementAndGet();
                    } catch (Exception e) {
                        failure = e;
                    } finally {
                        node.giveBack(c, failure, System.nanoTime() - start);
                    }
                    Thread.sleep(5);
                } catch (Exception e) {
                    // a refused lease once the node is found down: keep trying until told to stop
                }
            }
        });
    }

    private static void await(BooleanSupplier condition, Duration atMost, String what) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + atMost + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void whileTheNodeAnswersTheApplicationChecksWithoutAnswerDoNotCountItDownUntilTheirLimit(
            EmbeddedPostgresCluster cluster) throws Exception {
        TcpProxy probePath = cluster.primary().proxy();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        try (Monitored m = monitor(cluster, cluster.primary().proxiedJdbcUrl())) {
            NodeRuntime primary = m.primary();
            assertThat(primary.health().up()).isTrue();
            Thread app = traffic(primary, running, completed);
            await(() -> completed.get() > 10, Duration.ofSeconds(30), "the application's statements run");

            probePath.blackhole();
            long blackholed = System.nanoTime();
            // Six timeouts: without the rule, the first check's deadline would count the primary down.
            long watchUntil = blackholed + TIMEOUT.multipliedBy(6).toNanos();
            List<String> downs = new ArrayList<>();
            while (System.nanoTime() < watchUntil) {
                if (!primary.health().up()) {
                    downs.add(primary.health().lastError());
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(downs).as("the primary counted down while it completed the application's statements")
                    .isEmpty();
            assertThat(primary.inconclusiveChecks()).as("checks without answer not counted").isPositive();

            // The checks never answer: after INCONCLUSIVE_LIMIT_TIMEOUTS timeouts the node is counted down anyway,
            // though the application's statements still complete.
            long before = completed.get();
            await(() -> !primary.health().up(), TIMEOUT.multipliedBy(Liveness.INCONCLUSIVE_LIMIT_TIMEOUTS * 10),
                    "the primary is counted down once inconclusive checks reach their limit");
            long downAfter = System.nanoTime() - blackholed;
            assertThat(downAfter).as("down only after the limit (down %s ms after the blackhole: %s)",
                            downAfter / 1_000_000, primary.health().lastError())
                    .isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(Liveness.INCONCLUSIVE_LIMIT_TIMEOUTS).toNanos());
            assertThat(completed.get()).as("statements completed while the checks went unanswered")
                    .isGreaterThan(before);
            running.set(false);
            app.join();
        } finally {
            running.set(false);
            probePath.restore();
        }
    }

    @Test
    void withoutTheApplicationsStatementsACheckWithoutAnswerCountsTheNodeDownAtItsDeadline(
            EmbeddedPostgresCluster cluster) throws Exception {
        TcpProxy probePath = cluster.primary().proxy();
        try (Monitored m = monitor(cluster, cluster.primary().proxiedJdbcUrl())) {
            NodeRuntime primary = m.primary();
            assertThat(primary.health().up()).isTrue();
            probePath.blackhole();
            await(() -> !primary.health().up(), Duration.ofSeconds(60), "the blackholed primary is counted down");
            assertThat(primary.inconclusiveChecks()).as("no statement completed, so nothing was inconclusive")
                    .isZero();
            assertThat(primary.health().lastError()).contains("SQLState 08006");
        } finally {
            probePath.restore();
        }
    }
}
