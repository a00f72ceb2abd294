package dev.junction.routing.internal;

import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A connection lent by one node. {@link #release} returns it, frees the bulkhead permit and reports the outcome to
 * the node's circuit breaker; a second release is ignored. Not thread-safe beyond that (a lease belongs to one unit).
 */
final class RoutedLease implements Lease {
    private final NodeRuntime node;
    private final Connection connection;
    private final NodeRef ref;
    private final String reason;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean released = new AtomicBoolean();

    RoutedLease(NodeRuntime node, Connection connection, NodeRef ref, String reason) {
        this.node = node;
        this.connection = connection;
        this.ref = ref;
        this.reason = reason;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public NodeRef node() {
        return ref;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void release(@Nullable Throwable failure) {
        if (released.compareAndSet(false, true)) {
            node.giveBack(connection, failure, System.nanoTime() - startNanos);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + ref.name() + " as " + ref.role().tag() + ", reason=" + reason + "]";
    }
}
