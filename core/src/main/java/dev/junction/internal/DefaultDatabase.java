package dev.junction.internal;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.JunctionException;
import dev.junction.Pair;
import dev.junction.Reported;
import dev.junction.TransactionBudgetExceededException;
import dev.junction.Triple;
import dev.junction.UnitListener;
import dev.junction.UnitReport;
import dev.junction.Work;
import dev.junction.WriteInReadScopeException;
import dev.junction.WriteInterruptedException;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.time.Duration;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Database} implementation: runs units of work on leases from a {@link ConnectionRouter}, wiring a jOOQ
 * configuration per lease (connection provider, savepoint transaction provider, {@link ScopeListener}). Thread-safe;
 * the only shared mutable state is the closed flag.
 */
public final class DefaultDatabase implements Database {
    private static final Logger log = LoggerFactory.getLogger(DefaultDatabase.class);

    private final DatabaseConfig config;
    private final ConnectionRouter router;
    private final Configuration base;
    private final CommitPositions positions = new CommitPositions();
    private final LintReporter lintReporter = new LintReporter();
    /** Cancels statements at their transaction's deadline; one daemon thread per Database. */
    private final ScheduledExecutorService timer = budgetTimer();
    private volatile boolean closed;
    private final LookupHooks lookupHooks;

    public DefaultDatabase(DatabaseConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        ConnectionRouter configured = config.router();
        this.router = configured != null ? configured
                : new SingleDataSourceRouter(Objects.requireNonNull(config.dataSource(), "dataSource"));
        this.base = new DefaultConfiguration().set(config.dialect()).set(config.settings());
        this.lookupHooks = LookupHooks.create(config.lookups(), this, router, config.lints(), lintReporter);
    }

    // ---- read ----

    @Override
    public <T extends @Nullable Object> T read(Work<T> work) {
        return readReported(Consistency.eventual(), work).value();
    }

    @Override
    public <T extends @Nullable Object> Reported<T> readReported(Work<T> work) {
        return readReported(Consistency.eventual(), work);
    }

    @Override
    public <T extends @Nullable Object> T read(Consistency consistency, Work<T> work) {
        return readReported(consistency, work).value();
    }

    @Override
    public <T extends @Nullable Object> Reported<T> readReported(Consistency consistency, Work<T> work) {
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(work, "work");
        ensureOpen();
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.READ, config.lints(), lintReporter);
        T value;
        try {
            value = runRead(unit, work, consistency, null, null, null);
        } catch (RuntimeException | Error e) {
            publish(unit.finish(UnitReport.Outcome.FAILURE));
            throw e;
        }
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report);
        return new Reported<>(value, report);
    }

    /** A read with at most one retry on another node; the work of one read unit or of one parallel sibling. */
    private <T extends @Nullable Object> T runRead(UnitRecorder unit, Work<T> work, Consistency consistency,
            @Nullable String pinned, @Nullable Cancellation cancellation, @Nullable Consumer<NodeRef> onLease) {
        Attempt first = new Attempt();
        try {
            return runOnLease(unit, new RouteRequest(Intent.READ, Set.of(), pinned, consistency), work, true,
                    cancellation,
                    onLease, first);
        } catch (RuntimeException | Error failure) {
            NodeRef failed = first.node;
            if (failed == null || !retryable(failure, failed)
                    || (cancellation != null && cancellation.isCancelled())) {
                throw failure;
            }
            unit.retried();
            log.debug("read on node '{}' failed ({}); retrying once on another node", failed.name(),
                    failure.toString());
            try {
                return runOnLease(unit, new RouteRequest(Intent.READ, Set.of(failed.name()), null, consistency), work,
                        true,
                        cancellation, null, new Attempt());
            } catch (RuntimeException | Error second) {
                if (second != failure) {
                    second.addSuppressed(failure);
                }
                throw second;
            }
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean retryable(Throwable failure, NodeRef node) {
        if (failure instanceof WriteInReadScopeException || failure instanceof UnitCancelledException) {
            return false;
        }
        return SqlFailures.isConnectionFailure(failure)
                || (node.role() == Role.REPLICA && SqlFailures.isSerializationOrRecoveryConflict(failure));
    }

    // ---- write ----

    @Override
    public <T extends @Nullable Object> Commit<T> write(Work<T> work) {
        return write(config.transactionBudget(), work);
    }

    @Override
    public <T extends @Nullable Object> Commit<T> write(Duration budget, Work<T> work) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive, e.g. Duration.ofSeconds(5), but was "
                    + budget);
        }
        Objects.requireNonNull(work, "work");
        ensureOpen();
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.WRITE, config.lints(), lintReporter);
        T value;
        Attempt attempt = new Attempt();
        attempt.budget = budget;
        try {
            value = runOnLease(unit, RouteRequest.write(), work, false, null, null, attempt);
        } catch (RuntimeException | Error e) {
            if (causedBy(e, TransactionBudgetExceededException.class)) {
                unit.budgetExceeded();
            }
            publish(unit.finish(UnitReport.Outcome.FAILURE));
            throw e;
        }
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report);
        return Commit.of(value, report, Objects.requireNonNull(attempt.token, "token"));
    }

    // ---- one lease ----

    /** Mutable out-parameter: the node a lease came from, once acquired. */
    private static final class Attempt {
        @Nullable NodeRef node;
        @Nullable ConsistencyToken token;
        /** Input: the write's transaction budget. */
        @Nullable Duration budget;
    }

    private <T extends @Nullable Object> T runOnLease(UnitRecorder unit, RouteRequest request, Work<T> work,
            boolean read, @Nullable Cancellation cancellation, @Nullable Consumer<NodeRef> onLease, Attempt attempt) {
        if (cancellation != null) {
            cancellation.check();
        }
        Lease lease = router.acquire(request);
        long acquired = System.nanoTime();
        NodeRef node = lease.node();
        attempt.node = node;
        if (onLease != null) {
            onLease.accept(node);
        }
        LeaseScope scope = new LeaseScope(unit, node, lease.reason(), read, cancellation);
        LookupHooks.Tracker lookups = lookupHooks.track(scope);
        Connection connection = lease.connection();
        Throwable failure = null;
        boolean restoreReadOnly = false;
        boolean restoreAutoCommit = false;
        DSLContext ctx = null;
        try {
            ctx = dsl(connection, scope, lookups);
            if (read) {
                if (!connection.isReadOnly()) {
                    connection.setReadOnly(true);
                    restoreReadOnly = true;
                }
                return work.run(ctx);
            }
            long systemIdentifier = positions.systemIdentifier(connection, node.name());
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                restoreAutoCommit = true;
            }
            WriteGuard guard = new WriteGuard(Objects.requireNonNull(attempt.budget, "budget"), config.lints(),
                    lintReporter, timer);
            scope.guard(guard);
            if (config.serverSideBudget()) {
                guard.applyServerLimits(connection, scope);
            }
            T value = work.run(ctx);
            guard.beforeCommit(scope);
            LookupHooks.beforeCommit(lookups, connection, scope);
            attempt.token = commit(connection, scope, systemIdentifier);
            LookupHooks.afterCommit(lookups, attempt.token);
            return value;
        } catch (Throwable t) {
            Throwable translated = translate(t, scope, read);
            if (!read) {
                rollback(connection, scope, translated);
            }
            failure = translated;
            throw sneaky(translated);
        } finally {
            if (ctx != null) {
                JooqCaches.adopt(base, ctx.configuration(), 1);
            }
            Throwable restoreFailure = restore(connection, restoreReadOnly, restoreAutoCommit);
            long held = System.nanoTime() - acquired;
            unit.released(scope, held, failure != null);
            try {
                lease.release(failure != null ? failure : restoreFailure);
            } catch (RuntimeException e) {
                log.warn("releasing the connection of node '{}' failed", node.name(), e);
            }
        }
    }

    private DSLContext dsl(Connection connection, LeaseScope scope, LookupHooks.@Nullable Tracker lookups) {
        Configuration c = base.derive(new LeaseConnectionProvider(connection));
        c.set(new SavepointTransactionProvider(connection, scope));
        ScopeListener listener = new ScopeListener(scope, config.slowStatementLog());
        c.set(LookupHooks.listeners(lookups, listener));
        c.data(UnitReport.NOTES_KEY, (Consumer<String>) scope::note);
        return DSL.using(c);
    }

    private static ConsistencyToken commit(Connection connection, LeaseScope scope, long systemIdentifier) {
        try {
            ConsistencyToken token = CommitPositions.commit(connection, systemIdentifier);
            scope.roundTrip();
            return token;
        } catch (SQLException | RuntimeException e) {
            scope.roundTrip();
            String message = "commit failed on node '" + scope.node().name() + "' (SQLState "
                    + SqlFailures.sqlState(e) + "); ";
            // Only a lost connection leaves the outcome unknown; a COMMIT the server refused was rolled back.
            if (SqlFailures.isConnectionFailure(e)) {
                throw new WriteInterruptedException(message + "the transaction may or may not have been applied"
                        + " (the connection was lost); check before retrying: " + e.getMessage(),
                        scope.node().name(), true, e);
            }
            throw new DataAccessException(message + "the transaction was rolled back: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection connection, LeaseScope scope, Throwable failure) {
        try {
            if (!connection.getAutoCommit()) {
                boolean sent = scope.roundTrips() > 0;
                connection.rollback();
                if (sent) {
                    scope.roundTrip();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
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

    private static Throwable translate(Throwable t, LeaseScope scope, boolean read) {
        if (!(t instanceof JunctionException)) {
            RuntimeException pooler = PoolerErrors.translate(t, scope.node().name());
            if (pooler != null) {
                return pooler;
            }
        }
        if (!read && !(t instanceof JunctionException) && (SqlFailures.isConnectionFailure(t)
                || SqlFailures.isReadOnlyViolation(t))) {
            // Before the commit: PostgreSQL rolls back the transaction of a session that ends, and a standby
            // applies nothing, so the write is safe to run again; Junction leaves that to the caller.
            String what = SqlFailures.isReadOnlyViolation(t)
                    ? "was refused as read-only (SQLState 25006): the node is a standby now, demoted during a failover,"
                    : "lost its connection (SQLState " + SqlFailures.sqlState(t) + ")";
            return new WriteInterruptedException("write on node '" + scope.node().name() + "' " + what
                    + " before its commit; nothing was applied and it was not retried. Run it again once a primary"
                    + " takes writes (isRetryable() = true): " + t.getMessage(), scope.node().name(), false, t);
        }
        if (read && !(t instanceof WriteInReadScopeException) && SqlFailures.isReadOnlyViolation(t)) {
            return new WriteInReadScopeException("Write refused by the server in a read scope (SQLState 25006) on"
                    + " node '" + scope.node().name() + "'. Use db.write(...) for statements that modify data or"
                    + " lock rows.", t);
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            return t;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new JunctionException((read ? "read" : "write") + " work on node '" + scope.node().name()
                + "' failed with " + t.getClass().getName() + "; see the cause", t);
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }

    // ---- parallel ----

    @Override
    @SuppressWarnings("unchecked")
    public <A extends @Nullable Object, B extends @Nullable Object> Pair<A, B> parallel(Work<A> a, Work<B> b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        List<@Nullable Object> r = runParallel(List.of(a, b)).results();
        return new Pair<>((A) r.get(0), (B) r.get(1));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends @Nullable Object, B extends @Nullable Object> Reported<Pair<A, B>> parallelReported(Work<A> a,
            Work<B> b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        ParallelOutcome o = runParallel(List.of(a, b));
        return new Reported<>(new Pair<>((A) o.results().get(0), (B) o.results().get(1)), o.report());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends @Nullable Object, B extends @Nullable Object, C extends @Nullable Object> Triple<A, B, C>
            parallel(Work<A> a, Work<B> b, Work<C> c) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        List<@Nullable Object> r = runParallel(List.of(a, b, c)).results();
        return new Triple<>((A) r.get(0), (B) r.get(1), (C) r.get(2));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends @Nullable Object> List<T> parallelAll(List<? extends Work<? extends T>> works) {
        Objects.requireNonNull(works, "works");
        for (int i = 0; i < works.size(); i++) {
            Objects.requireNonNull(works.get(i), "works[" + i + "]");
        }
        List<@Nullable Object> r = runParallel(List.copyOf(works)).results();
        return (List<T>) r;
    }

    private record ParallelOutcome(List<@Nullable Object> results, UnitReport report) {
    }

    private ParallelOutcome runParallel(List<? extends Work<?>> works) {
        ensureOpen();
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.PARALLEL, config.lints(), lintReporter);
        List<@Nullable Object> results;
        try {
            results = new ParallelGroup(works, config.parallelism(),
                    (work, pinned, cancellation, onLease) -> runRead(unit, work, Consistency.eventual(), pinned,
                            cancellation, onLease))
                    .run();
        } catch (RuntimeException | Error e) {
            publish(unit.finish(UnitReport.Outcome.FAILURE));
            throw e;
        }
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report);
        return new ParallelOutcome(results, report);
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        lookupHooks.close();
        router.close();
    }

    @Override
    public dev.junction.lookup.LookupCache lookups() {
        return lookupHooks.cache();
    }

    /**
     * One daemon thread per Database. Every write statement arms a cancel and disarms it when it ends; removing
     * disarmed tasks at once keeps them from piling up in the queue until their deadline under a high write rate.
     */
    private static ScheduledExecutorService budgetTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "junction-budget");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Lint findings so far, by lint name. */
    public java.util.Map<String, Long> lintCounts() {
        return lintReporter.counts();
    }

    private void ensureOpen() {
        if (closed) {
            throw new JunctionException("Database is closed; build a new one with Junction.builder()");
        }
    }

    private void publish(UnitReport report) {
        for (UnitListener listener : config.listeners()) {
            try {
                listener.onUnitEnd(report);
            } catch (RuntimeException e) {
                log.warn("unit listener {} failed; ignoring it", listener.getClass().getName(), e);
            }
        }
    }
}
