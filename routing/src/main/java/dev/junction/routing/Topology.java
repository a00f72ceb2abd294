package dev.junction.routing;

import java.util.List;

/**
 * A read-only view of the nodes a {@link ClusterRouter} routes between, for health endpoints and metrics.
 * Thread-safe; cheap enough to call on every health request (no I/O: it reads the monitor's last observation).
 */
public interface Topology {

    /** One status per configured node, in configuration order (the primary wherever it was configured). */
    List<NodeStatus> snapshot();
}
