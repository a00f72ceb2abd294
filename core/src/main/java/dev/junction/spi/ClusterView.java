package dev.junction.spi;

import dev.junction.ClusterHealth;
import java.util.Map;

/**
 * What operators read from a router that knows its nodes: the health verdict with every node's details (the topology
 * snapshot), and the routing decisions so far. Routing's {@code ClusterRouter} implements it, and a Database built
 * over such a router hands it out through {@link dev.junction.Database#cluster()}, so code that only holds the
 * Database needs no cast. Every method reads in-memory state (the monitor's last observations, counters): no I/O,
 * cheap enough for every health request or scrape. Implementations are thread-safe.
 */
public interface ClusterView {

    /**
     * The verdict ({@code UP}, {@code DEGRADED}, {@code DOWN}) with one entry per node, in configuration order, and a
     * reason per problem; see {@link ClusterHealth}.
     */
    ClusterHealth health();

    /**
     * How many routing decisions were made so far, by reason tag ({@code replica}, {@code primary},
     * {@code fallback}, ... and refusals such as {@code no_eligible_replica}); a sorted snapshot, counters only grow.
     */
    Map<String, Long> routingCounts();
}
