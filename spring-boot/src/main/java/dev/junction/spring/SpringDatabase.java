package dev.junction.spring;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.Database;
import dev.junction.Pair;
import dev.junction.Prepared;
import dev.junction.Reported;
import dev.junction.Triple;
import dev.junction.Work;
import dev.junction.lookup.LookupCache;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * The Database bean: the library's Database with two Spring rules on top.
 * <ul>
 *   <li>Inside a request served through the consistency filter ({@link RequestConsistency}), reads without an
 *       explicit consistency read at the request session's, and every commit is recorded in it. An explicit
 *       {@code Consistency} argument is used as given.</li>
 *   <li>{@code write} refuses to run while a Spring-managed transaction is active on the thread
 *       ({@link WriteInSpringTransactionException}), before any connection is taken: Junction never joins, commits
 *       or rolls back a connection Spring owns, and a write that would commit independently of the surrounding
 *       {@code @Transactional} is a bug to be told about, not a surprise at the next failure.</li>
 * </ul>
 * Everything else is delegated unchanged. Thread-safe like the Database it wraps.
 */
final class SpringDatabase implements Database {
    private static final boolean SPRING_TX = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            SpringDatabase.class.getClassLoader());

    private final Database delegate;
    private final BooleanSupplier springTransactionActive;

    SpringDatabase(Database delegate) {
        this(delegate, SPRING_TX ? SpringTransactions::active : () -> false);
    }

    SpringDatabase(Database delegate, BooleanSupplier springTransactionActive) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.springTransactionActive = springTransactionActive;
    }

    private static Consistency requestConsistency() {
        RequestConsistency scope = RequestConsistency.scope();
        return scope == null ? Consistency.eventual() : scope.session().consistency();
    }

    private <T extends @Nullable Object> Commit<T> recorded(Commit<T> commit) {
        RequestConsistency scope = RequestConsistency.scope();
        if (scope != null) {
            scope.record(commit);
        }
        return commit;
    }

    private void refuseInsideSpringTransaction() {
        if (springTransactionActive.getAsBoolean()) {
            throw new WriteInSpringTransactionException("db.write was called inside a Spring-managed transaction"
                    + " (@Transactional or TransactionTemplate); Junction's write is its own transaction on its own"
                    + " primary connection and would commit independently of it, so it was refused and nothing was"
                    + " written. Call db.write outside the Spring transaction, e.g. from a method without"
                    + " @Transactional or with @Transactional(propagation = Propagation.NOT_SUPPORTED)");
        }
    }

    @Override
    public <T extends @Nullable Object> T read(Work<T> work) {
        return delegate.read(requestConsistency(), work);
    }

    @Override
    public <T extends @Nullable Object> Reported<T> readReported(Work<T> work) {
        return delegate.readReported(requestConsistency(), work);
    }

    @Override
    public <T extends @Nullable Object> T read(Consistency consistency, Work<T> work) {
        return delegate.read(consistency, work);
    }

    @Override
    public <T extends @Nullable Object> Reported<T> readReported(Consistency consistency, Work<T> work) {
        return delegate.readReported(consistency, work);
    }

    @Override
    public <T extends @Nullable Object> Commit<T> write(Work<T> work) {
        refuseInsideSpringTransaction();
        return recorded(delegate.write(work));
    }

    @Override
    public <T extends @Nullable Object> Commit<T> write(Duration budget, Work<T> work) {
        refuseInsideSpringTransaction();
        return recorded(delegate.write(budget, work));
    }

    @Override
    public <R extends @Nullable Object> Prepared<R> prepare(Work<R> reads) {
        // Through this Database, so the read takes the request's session and thenWrite records its commit.
        return prepare(requestConsistency(), reads);
    }

    @Override
    public <A extends @Nullable Object, B extends @Nullable Object> Reported<Pair<A, B>> parallelReported(
            Work<A> a, Work<B> b) {
        return delegate.parallelReported(a, b);
    }

    @Override
    public <A extends @Nullable Object, B extends @Nullable Object> Pair<A, B> parallel(Work<A> a, Work<B> b) {
        return delegate.parallel(a, b);
    }

    @Override
    public <A extends @Nullable Object, B extends @Nullable Object, C extends @Nullable Object> Triple<A, B, C>
            parallel(Work<A> a, Work<B> b, Work<C> c) {
        return delegate.parallel(a, b, c);
    }

    @Override
    public <T extends @Nullable Object> List<T> parallelAll(List<? extends Work<? extends T>> works) {
        return delegate.parallelAll(works);
    }

    @Override
    public LookupCache lookups() {
        return delegate.lookups();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "SpringDatabase[" + delegate + "]";
    }

    /** Loaded only when spring-tx is on the class path. */
    private static final class SpringTransactions {
        static boolean active() {
            return TransactionSynchronizationManager.isActualTransactionActive();
        }
    }
}
