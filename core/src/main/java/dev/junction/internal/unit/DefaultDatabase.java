package dev.junction.internal.unit;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.Database;
import dev.junction.JunctionException;
import dev.junction.Pair;
import dev.junction.Reported;
import dev.junction.TransactionBudgetExceededException;
import dev.junction.Triple;
import dev.junction.UnitListener;
import dev.junction.UnitReport;
import dev.junction.Work;
import dev.junction.internal.lint.LintReporter;
import dev.junction.internal.observation.ContextCapture;
import dev.junction.internal.observation.UnitSpan;
import dev.junction.internal.observation.UnitTracing;
import dev.junction.internal.parallel.ParallelGroup;
import dev.junction.lookup.LookupCache;
import dev.junction.lookup.internal.LookupHooks;
import dev.junction.spi.ClusterView;
import dev.junction.spi.ConnectionRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.impl.DefaultConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Database} implementation: checks each call's arguments, opens a unit of work with its
 * {@link UnitRecorder}, runs it ({@link ReadRetry} for reads, {@link LeaseRunner} for writes, {@link ParallelGroup}
 * for parallel reads) and hands the unit's report to the listeners. Thread-safe; the only shared mutable state is the
 * closed flag.
 */
public final class DefaultDatabase implements Database {
    private static final Logger log = LoggerFactory.getLogger(DefaultDatabase.class);

    private final DatabaseConfig config;
    private final ConnectionRouter router;
    private final LintReporter lintReporter = new LintReporter();
    private final LookupHooks lookupHooks;
    private final WriteTransactions writes;
    private final LeaseRunner leases;
    private final ReadRetry reads;
    private final List<AutoCloseable> meterBindings;
    private final @Nullable UnitTracing tracing;
    private volatile boolean closed;

    public DefaultDatabase(DatabaseConfig config) {
        this(config, List.of());
    }

    /**
     * @param meterBindings the router's meter bindings, removed from their registry when the Database closes, before
     *                      the router does
     */
    public DefaultDatabase(DatabaseConfig config, List<AutoCloseable> meterBindings) {
        this.config = Objects.requireNonNull(config, "config");
        this.meterBindings = List.copyOf(meterBindings);
        this.tracing = config.tracing();
        ConnectionRouter configured = config.router();
        this.router = configured != null ? configured
                : new SingleDataSourceRouter(Objects.requireNonNull(config.dataSource(), "dataSource"));
        this.lookupHooks = LookupHooks.create(config.lookups(), this, router, config.lints(), lintReporter);
        this.writes = new WriteTransactions(config.lints(), lintReporter, config.serverSideBudget());
        this.leases = new LeaseRunner(router, new DefaultConfiguration().set(config.dialect()).set(config.settings()),
                config.slowStatementLog(), lookupHooks, writes);
        this.reads = new ReadRetry(leases);
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
        UnitSpan span = tracing == null ? null : tracing.unit(UnitReport.Kind.READ, consistency);
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.READ, config.lints(), lintReporter, span);
        T value;
        try (UnitSpan.Scope scope = span == null ? null : span.open()) {
            value = reads.run(unit, LeasePlan.read(consistency), work);
        } catch (RuntimeException | Error e) {
            publish(unit.finish(UnitReport.Outcome.FAILURE), span, e);
            throw e;
        }
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report, span, null);
        return new Reported<>(value, report);
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
        UnitSpan span = tracing == null ? null : tracing.unit(UnitReport.Kind.WRITE, Consistency.strong());
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.WRITE, config.lints(), lintReporter, span);
        LeaseOutcome<T> outcome;
        T value;
        try (UnitSpan.Scope scope = span == null ? null : span.open()) {
            outcome = leases.run(unit, LeasePlan.write(budget), work);
            value = outcome.value();
        } catch (RuntimeException | Error e) {
            if (LeaseFailures.causedBy(e, TransactionBudgetExceededException.class)) {
                unit.budgetExceeded();
            }
            publish(unit.finish(UnitReport.Outcome.FAILURE), span, e);
            throw e;
        }
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report, span, null);
        return Commit.of(value, report, outcome.token());
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
        UnitSpan span = tracing == null ? null : tracing.unit(UnitReport.Kind.PARALLEL, Consistency.eventual());
        UnitRecorder unit = new UnitRecorder(UnitReport.Kind.PARALLEL, config.lints(), lintReporter, span);
        GroupLeases leases = new GroupLeases(router);
        List<@Nullable Object> results;
        try (UnitSpan.Scope scope = span == null ? null : span.open()) {
            // Captured with the group's span current: each work runs with the caller's MDC and context (trace,
            // application accessors) and with the group as its current span.
            ContextCapture.Captured context = ContextCapture.capture();
            results = new ParallelGroup(works, config.parallelism(), (work, pinned, cancellation, onLease) -> {
                try (ContextCapture.Restored restored = context.restore();
                        UnitSpan.Scope inWork = span == null ? null : span.openInWork()) {
                    return reads.run(unit, LeasePlan.sibling(pinned, cancellation, onLease, leases), work);
                }
            }).run();
        } catch (RuntimeException | Error e) {
            leases.close();
            unit.group(leases.summary(works.size()));
            publish(unit.finish(UnitReport.Outcome.FAILURE), span, e);
            throw e;
        }
        leases.close();
        unit.group(leases.summary(works.size()));
        UnitReport report = unit.finish(UnitReport.Outcome.SUCCESS);
        publish(report, span, null);
        return new ParallelOutcome(results, report);
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writes.close();
        lookupHooks.close();
        for (AutoCloseable binding : meterBindings) {
            try {
                binding.close();
            } catch (Exception e) {
                // meters left in a registry must not keep the pools open
                log.warn("removing the router's meters failed; closing the router anyway", e);
            }
        }
        router.close();
    }

    @Override
    public Optional<ClusterView> cluster() {
        return router instanceof ClusterView view ? Optional.of(view) : Optional.empty();
    }

    @Override
    public LookupCache lookups() {
        return lookupHooks.cache();
    }

    /** Lint findings so far, by lint name. */
    public Map<String, Long> lintCounts() {
        return lintReporter.counts();
    }

    private void ensureOpen() {
        if (closed) {
            throw new JunctionException("Database is closed; build a new one with Junction.builder()");
        }
    }

    private void publish(UnitReport report, @Nullable UnitSpan span, @Nullable Throwable failure) {
        if (span != null) {
            try {
                span.end(report, failure);
            } catch (RuntimeException e) {
                // an observation handler's failure must not change the unit's outcome
                log.warn("ending the unit's observation failed; ignoring it", e);
            }
        }
        for (UnitListener listener : config.listeners()) {
            try {
                listener.onUnitEnd(report);
            } catch (RuntimeException e) {
                log.warn("unit listener {} failed; ignoring it", listener.getClass().getName(), e);
            }
        }
    }
}
