package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SplitBrainPolicy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The monitor keeps checking while the application's virtual threads occupy every carrier of the virtual-thread
 * scheduler (a saturated service: the demo at 500 users saw the primary declared down). Virtual threads are not
 * preempted, so a monitor on virtual threads gets no check done until a carrier frees up, and once it does, its
 * overdue deadline declares the node down; this test fails that way when {@link NodeWatch} starts virtual threads.
 */
@WithEmbeddedCluster(replicas = 1)
class MonitorStarvationIT {
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Several monitor timeouts: long enough for a starved monitor to miss its deadlines. */
    private static final Duration STARVATION = Duration.ofSeconds(4);

    @Test
    void nodesAreCheckedAndStayUpWhileVirtualThreadsKeepEveryCarrierBusy(EmbeddedPostgresCluster cluster)
            throws Exception {
        List<NodeConfig> configs = List.of(NodeConfig.primary("primary", cluster.primary().jdbcUrl()),
                NodeConfig.replica("replica-1", cluster.replicas().get(0).jdbcUrl()));
        RoutingConfig.Builder b = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .monitorInterval(INTERVAL).monitorTimeout(TIMEOUT);
        configs.forEach(b::node);
        RoutingConfig routing = b.build();
        List<NodeRuntime> nodes = new ArrayList<>();
        Map<NodeRuntime, Probe> probes = new LinkedHashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            NodeRuntime node = new NodeRuntime(configs.get(i), i, routing);
            nodes.add(node);
            probes.put(node, new Probe(configs.get(i).jdbcUrl(), routing.credentials(), TIMEOUT));
        }
        HealthMonitor monitor = new HealthMonitor(nodes, probes,
                new LagPolicy(routing.maxReplicaLag(), null, routing.lagHysteresis()), INTERVAL, TIMEOUT, false,
                SplitBrainPolicy.NEWEST_TIMELINE);
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> spinners = new ArrayList<>();
        try {
            monitor.pollOnce();
            monitor.start();
            assertThat(nodes).allMatch(n -> n.health().up());

            // As many CPU-bound virtual threads as the scheduler has carriers (its parallelism defaults to the
            // processor count), plus some: none of them ever blocks, so no other virtual thread runs meanwhile.
            int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                    Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < carriers + 2; i++) {
                spinners.add(Thread.ofVirtual().start(() -> {
                    while (spin.get()) {
                        Thread.onSpinWait(); // busy, never parks
                    }
                }));
            }
            Map<String, Set<Instant>> checksWhileStarved = new LinkedHashMap<>();
            Set<String> seenDown = new HashSet<>();
            long end = System.nanoTime() + STARVATION.toNanos();
            while (System.nanoTime() < end) {
                for (NodeRuntime n : nodes) {
                    NodeHealth h = n.health();
                    if (!h.up()) {
                        seenDown.add(n.name() + ": " + h.lastError());
                    }
                    if (h.checkedAt() != null) {
                        checksWhileStarved.computeIfAbsent(n.name(), k -> new HashSet<>()).add(h.checkedAt());
                    }
                }
                Thread.sleep(5);
            }
            spin.set(false);
            for (Thread t : spinners) {
                t.join();
            }
            // Checks that finished after the carriers were taken: a starved monitor's last check time stays put.
            for (NodeRuntime n : nodes) {
                assertThat(checksWhileStarved.get(n.name()))
                        .as("distinct check times of %s while every carrier was busy", n.name())
                        .hasSizeGreaterThanOrEqualTo(10);
            }
            assertThat(seenDown).as("nodes seen down while the application kept every carrier busy").isEmpty();
            // And after the carriers free up, no late deadline declares anything down.
            Thread.sleep(TIMEOUT.multipliedBy(2).toMillis());
            assertThat(nodes).allMatch(n -> n.health().up());
        } finally {
            spin.set(false);
            for (Thread t : spinners) {
                t.join();
            }
            monitor.close();
            nodes.forEach(NodeRuntime::close);
        }
    }
}
