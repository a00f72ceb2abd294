package dev.junction.internal.unit;

import dev.junction.UnitReport;
import dev.junction.Work;
import dev.junction.internal.budget.SessionLimits;
import dev.junction.internal.observation.UnitSpan;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.lookup.internal.LookupHooks;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.NetworkHints;
import dev.junction.spi.NodeRef;
import dev.junction.spi.UnitSections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one work on one lease: acquires it from the router, wires a jOOQ configuration for it (connection provider,
 * savepoint transaction provider, {@link ScopeListener}, the lookup hooks of a write), marks a read's connection
 * read-only or runs a write as one transaction, and always restores the connection, records the lease in its unit
 * and releases it. This is the per-read hot path: it allocates only what the lease needs. Thread-safe; each run is
 * confined to its caller's thread.
 */
final class LeaseRunner {
    private static final Logger log = LoggerFactory.getLogger(LeaseRunner.class);

    private final ConnectionRouter router;
    private final Configuration base;
    private final SlowStatementLog slowStatementLog;
    private final LookupHooks lookupHooks;
    private final WriteTransactions writes;

    LeaseRunner(ConnectionRouter router, Configuration base, SlowStatementLog slowStatementLog,
            LookupHooks lookupHooks, WriteTransactions writes) {
        this.router = router;
        this.base = base;
        this.slowStatementLog = slowStatementLog;
        this.lookupHooks = lookupHooks;
        this.writes = writes;
    }

    /**
     * Runs {@code work} on a lease for {@code plan}, in {@code unit}.
     *
     * @return the value (and a write's token), or the failure and its node once a lease was acquired
     * @throws RuntimeException when the work was cancelled before it started or no lease could be acquired
     */
    <T extends @Nullable Object> LeaseOutcome<T> run(UnitRecorder unit, LeasePlan plan, Work<T> work) {
        Cancellation cancellation = plan.cancellation();
        if (cancellation != null) {
            cancellation.check();
        }
        GroupLeases group = plan.group();
        UnitSpan span = unit.span();
        UnitSpan.Acquisition acquisition = span == null ? null : span.acquiring();
        Lease lease;
        try {
            lease = group != null ? group.acquire(plan.request(), cancellation) : router.acquire(plan.request());
        } catch (RuntimeException | Error e) {
            if (acquisition != null) {
                acquisition.failed(e);
            }
            throw e;
        }
        if (acquisition != null) {
            acquisition.acquired(lease);
        }
        long acquired = System.nanoTime();
        NodeRef node = lease.node();
        Consumer<NodeRef> onLease = plan.onLease();
        if (onLease != null) {
            onLease.accept(node);
        }
        boolean read = plan.read();
        LeaseScope scope = new LeaseScope(unit, node, lease.reason(), read, cancellation);
        LookupHooks.Tracker lookups = read ? null : lookupHooks.track(node.name(), scope.lintFindings());
        Connection connection = lease.connection();
        Throwable failure = null;
        boolean restoreReadOnly = false;
        WriteTransactions.Transaction write = null;
        DSLContext ctx = null;
        int ownEntries = 0;
        try {
            ctx = dsl(connection, scope, lookups, lease.roundTripNanos());
            ownEntries = ctx.configuration().data().size() - base.data().size();
            if (read) {
                // A write before on this physical connection left its budget on the session: not for this read.
                if (SessionLimits.shared().forRead(connection)) {
                    scope.roundTrip();
                }
                if (!connection.isReadOnly()) {
                    connection.setReadOnly(true);
                    restoreReadOnly = true;
                }
                return LeaseOutcome.read(work.run(ctx));
            }
            write = writes.open(connection, scope, Objects.requireNonNull(plan.budget(), "budget"));
            write.applyServerLimits();
            T value = work.run(ctx);
            return LeaseOutcome.committed(value, write.commit(lookups));
        } catch (Throwable t) {
            Throwable translated = LeaseFailures.translate(t, node.name(), read);
            if (!read) {
                WriteTransactions.rollback(connection, scope, translated);
            }
            failure = translated;
            return LeaseOutcome.failed(translated, node);
        } finally {
            if (ctx != null) {
                JooqCaches.adopt(base, ctx.configuration(), ownEntries);
            }
            Throwable restoreFailure = restore(connection, restoreReadOnly,
                    write != null && write.autoCommitTurnedOff());
            long held = System.nanoTime() - acquired;
            unit.released(scope, held, failure != null);
            try {
                lease.release(failure != null ? failure : restoreFailure);
            } catch (RuntimeException e) {
                log.warn("releasing the connection of node '{}' failed", node.name(), e);
            }
        }
    }

    private DSLContext dsl(Connection connection, LeaseScope scope, LookupHooks.@Nullable Tracker lookups,
            long roundTripNanos) {
        Configuration c = base.derive(new LeaseConnectionProvider(connection));
        c.set(new SavepointTransactionProvider(connection, scope));
        ScopeListener listener = new ScopeListener(scope, slowStatementLog);
        c.set(LookupHooks.listeners(lookups, listener));
        c.data(UnitReport.NOTES_KEY, (Consumer<String>) scope::note);
        if (roundTripNanos >= 0) {
            // For the graph fetch's automatic strategy: whether a round trip per level costs more than it saves.
            NetworkHints.roundTripNanos(c, roundTripNanos);
        }
        UnitSpan span = scope.span();
        if (span != null) {
            c.data(UnitSections.KEY, span.sections());
        }
        return DSL.using(c);
    }

    /** Restores autocommit / read-only; returns the failure to report to the router, if any. */
    private static @Nullable Throwable restore(Connection connection, boolean readOnly, boolean autoCommit) {
        Throwable failure = null;
        if (autoCommit) {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                failure = e;
                log.warn("could not restore autocommit on a connection; reporting it to the router: {}",
                        e.toString());
            }
        }
        if (readOnly) {
            try {
                connection.setReadOnly(false);
            } catch (SQLException | RuntimeException e) {
                failure = failure == null ? e : failure;
                log.warn("could not reset read-only on a connection; reporting it to the router: {}", e.toString());
            }
        }
        return failure;
    }
}
