package dev.junction.internal.unit;

import dev.junction.Work;
import dev.junction.WriteInReadScopeException;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.internal.parallel.UnitCancelledException;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read with at most one retry on another node: the work of one read unit or of one parallel sibling. A read is
 * retried when its node lost the connection, or when a replica cancelled it for a recovery conflict; never after a
 * write was refused in the read scope or the parallel group was cancelled. Thread-safe.
 */
final class ReadRetry {
    private static final Logger log = LoggerFactory.getLogger(ReadRetry.class);

    private final LeaseRunner leases;

    ReadRetry(LeaseRunner leases) {
        this.leases = leases;
    }

    /** Runs the read {@code plan} in {@code unit}; on a retryable failure, once more on any other node. */
    <T extends @Nullable Object> T run(UnitRecorder unit, LeasePlan plan, Work<T> work) {
        LeaseOutcome<T> first = leases.run(unit, plan, work);
        if (first.succeeded()) {
            return first.value();
        }
        Throwable failure = first.failure();
        NodeRef failed = first.node();
        Cancellation cancellation = plan.cancellation();
        if (!retryable(failure, failed) || (cancellation != null && cancellation.isCancelled())) {
            throw LeaseFailures.rethrow(failure);
        }
        unit.retried();
        log.debug("read on node '{}' failed ({}); retrying once on another node", failed.name(), failure.toString());
        LeaseOutcome<T> second;
        try {
            second = leases.run(unit, plan.elsewhere(failed.name()), work);
        } catch (RuntimeException | Error e) {
            if (e != failure) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (second.succeeded()) {
            return second.value();
        }
        Throwable again = second.failure();
        if (again != failure) {
            again.addSuppressed(failure);
        }
        throw LeaseFailures.rethrow(again);
    }

    private static boolean retryable(Throwable failure, NodeRef node) {
        if (failure instanceof WriteInReadScopeException || failure instanceof UnitCancelledException) {
            return false;
        }
        return SqlFailures.isConnectionFailure(failure)
                || (node.role() == Role.REPLICA && SqlFailures.isSerializationOrRecoveryConflict(failure));
    }
}
