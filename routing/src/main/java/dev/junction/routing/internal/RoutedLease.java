package dev.junction.routing.internal;

import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A connection lent by one node. {@link #release} returns it, frees the bulkhead permit and reports the outcome to
 * the node's circuit breaker; a second release is ignored. The node keeps every lease it lent until it is released,
 * so that the failover fence can {@link #abort} it from the monitor's thread. Not thread-safe beyond that (a lease
 * belongs to one unit).
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
        node.lent(this);
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
    public long roundTripNanos() {
        return node.responseTimes().latestMedianNanos();
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void release(@Nullable Throwable failure) {
        if (released.compareAndSet(false, true)) {
            node.returned(this);
            node.giveBack(connection, failure, System.nanoTime() - startNanos);
            if (NodeBreaker.countsAgainstNode(failure)
                    || (ref.role() == Role.PRIMARY && SqlFailures.isReadOnlyViolation(failure))) {
                // The node may be gone or demoted (a read-only error on the primary is a standby answering):
                // have the monitor look now rather than at its next interval.
                node.reportFailure();
            }
        }
    }

    /**
     * Aborts the connection for the failover fence ({@link NodeRuntime#fence}): a statement blocked on it fails with
     * a connection error at once, and so does the unit's next one. The unit still releases the lease as usual.
     */
    void abort(Executor executor) {
        if (!released.get()) {
            try {
                connection.abort(executor);
            } catch (SQLException | RuntimeException e) {
                // already closed, or the driver refused: the unit's own timeouts still end it
            }
        }
    }

    @Override
    public String toString() {
        return "Lease[" + ref.name() + " as " + ref.role().tag() + ", reason=" + reason + "]";
    }
}
