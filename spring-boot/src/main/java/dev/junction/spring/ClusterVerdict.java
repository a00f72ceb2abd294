package dev.junction.spring;

import dev.junction.routing.NodeStatus;
import dev.junction.spi.Role;
import java.util.List;

/**
 * The UP / DEGRADED / DOWN rule over a topology snapshot, the one the samples' health endpoint uses: DOWN when no
 * node in the primary role may take writes, DEGRADED when writes are possible but some node may not serve its role
 * (down, wrong role, breaker open, replica lagging), UP when every node may. Pure: no I/O, the snapshot is the
 * monitor's last observation.
 *
 * <p>This is the starter's adapter until the routing module has a health verdict of its own (issue 19 item 3);
 * {@link JunctionHealthIndicator} asks only this class, so switching to the library's verdict is a change here.
 */
final class ClusterVerdict {
    enum State {
        UP,
        DEGRADED,
        DOWN
    }

    private ClusterVerdict() {
    }

    static State of(List<NodeStatus> nodes) {
        boolean primaryOk = nodes.stream().anyMatch(n -> n.configuredRole() == Role.PRIMARY && n.eligible());
        if (!primaryOk) {
            return State.DOWN;
        }
        return nodes.stream().allMatch(NodeStatus::eligible) ? State.UP : State.DEGRADED;
    }

    /** The nodes that keep the verdict from UP, by name. */
    static List<String> impaired(List<NodeStatus> nodes) {
        return nodes.stream().filter(n -> !n.eligible()).map(NodeStatus::name).toList();
    }
}
