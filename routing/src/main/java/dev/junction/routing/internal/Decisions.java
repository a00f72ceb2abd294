package dev.junction.routing.internal;

import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import java.sql.Connection;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts every routing decision by its reason, and lends the connection of a decided lease, so that no lease is
 * lent uncounted. Thread-safe: the counters are created up front and only grow.
 */
final class Decisions {
    private final Map<RouteReason, LongAdder> counts = new EnumMap<>(RouteReason.class);

    Decisions() {
        for (RouteReason reason : RouteReason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void count(RouteReason reason) {
        counts.get(reason).increment();
    }

    /** A connection of {@code node} as a lease in {@code role}, counted under {@code reason}. */
    Lease lend(NodeRuntime node, Role role, RouteReason reason) throws AcquireFailure {
        Connection c = node.borrow();
        count(reason);
        return lease(node, c, role, reason);
    }

    /** A connection of {@code node} if it has one idle now ({@link NodeRuntime#tryBorrow()}), counted; else null. */
    @Nullable Lease tryLend(NodeRuntime node, Role role, RouteReason reason) {
        Connection c = node.tryBorrow();
        if (c == null) {
            return null;
        }
        count(reason);
        return lease(node, c, role, reason);
    }

    /** A lease of a connection already borrowed (and its decision already counted). */
    static Lease lease(NodeRuntime node, Connection connection, Role role, RouteReason reason) {
        return new RoutedLease(node, connection, new NodeRef(node.name(), role), reason.tag());
    }

    /** The reasons counted at least once, by tag, sorted by tag. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((reason, adder) -> {
            long n = adder.sum();
            if (n > 0) {
                out.put(reason.tag(), n);
            }
        });
        return out;
    }
}
