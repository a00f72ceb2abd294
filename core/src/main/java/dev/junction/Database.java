package dev.junction;

import dev.junction.spi.ClusterView;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs units of work against PostgreSQL through jOOQ: reads without a transaction (on a replica when routing is
 * configured), writes in one short transaction on the primary, and concurrent read groups. Every unit holds its
 * connection only while its work runs and always releases it, whatever happens. Build one with
 * {@link Junction#builder()}.
 *
 * <p>Guarantees, for every unit:
 * <ul>
 *   <li>one connection per unit (per work in a parallel group), never shared between threads;</li>
 *   <li>statements that modify data or lock rows are refused in read units before they reach the server, with a
 *       {@link WriteInReadScopeException};</li>
 *   <li>writes are never retried; reads are retried at most once, on another node, after a connection-level failure
 *       or a hot-standby recovery conflict;</li>
 *   <li>exceptions thrown by the work reach the caller unchanged (checked ones wrapped in {@link JunctionException});
 *       SQL errors stay jOOQ's {@code DataAccessException}; routing errors stay the router's
 *       {@link JunctionException};</li>
 *   <li>every unit produces a {@link UnitReport} for the registered {@link UnitListener}s.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves the whole application. Units run on the calling thread, except the works of
 * {@link #parallel} groups, which run on virtual threads.
 */
public interface Database extends AutoCloseable {

    /**
     * Runs a read-only unit of work: one connection with {@link dev.junction.spi.Intent#READ READ} intent, autocommit
     * on (no transaction), marked read-only. Statements that write or lock rows are refused with
     * {@link WriteInReadScopeException}; so is anything the server rejects as a write (SQLState 25006).
     *
     * <p>If the work fails with a connection-level error, or with a recovery conflict on a replica, it is run once
     * more on another node, so the work must be side-effect free outside the database.
     *
     * @return the work's result
     */
    <T extends @Nullable Object> T read(Work<T> work);

    /** Like {@link #read(Work)}, and also returns the unit's {@link UnitReport}. */
    <T extends @Nullable Object> Reported<T> readReported(Work<T> work);

    /**
     * Like {@link #read(Work)}, at least as fresh as {@code consistency} requires: with
     * {@link Consistency#after(ConsistencyToken)} on a node that has replayed the token's commit (a replica that has
     * caught up, after waiting up to the router's bound, else the primary); with {@link Consistency#strong()} on the
     * primary. Never older than asked: when no node can serve it, the read fails instead.
     */
    <T extends @Nullable Object> T read(Consistency consistency, Work<T> work);

    /** Like {@link #read(Consistency, Work)}, and also returns the unit's {@link UnitReport}. */
    <T extends @Nullable Object> Reported<T> readReported(Consistency consistency, Work<T> work);

    /**
     * Runs a unit of work in one transaction with {@link dev.junction.spi.Intent#WRITE WRITE} intent (the primary):
     * autocommit off, run the work, commit. If anything fails the transaction is rolled back and the failure is
     * thrown. Reads inside the work use the same connection and see its writes. A nested
     * {@code ctx.transaction(...)} inside the work becomes a savepoint. Never retried.
     *
     * <p>The transaction has the configured {@link Junction.Builder#transactionBudget time budget}, enforced by the
     * server ({@code statement_timeout}, {@code idle_in_transaction_session_timeout}, {@code transaction_timeout}, set
     * locally in one round trip at its start) and by the library (no statement or commit after the deadline, a
     * running statement cancelled at it); past it the transaction is rolled back with
     * {@link TransactionBudgetExceededException}.
     *
     * <p>The commit and the reading of its WAL position (for {@link Commit#token()}) share one round trip.
     *
     * @return the committed result, the unit's report and the commit's consistency token
     */
    <T extends @Nullable Object> Commit<T> write(Work<T> work);

    /**
     * Like {@link #write(Work)} with a time budget for this call instead of the configured default.
     *
     * @throws TransactionBudgetExceededException when the transaction runs past {@code budget}; it was rolled back
     */
    <T extends @Nullable Object> Commit<T> write(java.time.Duration budget, Work<T> work);

    /**
     * Phase one of a two-phase unit: runs {@code reads} now as a {@link #read(Work) read} (a replica, no
     * transaction) and returns its result, ready for {@link Prepared#thenWrite} to run one short write transaction.
     */
    default <R extends @Nullable Object> Prepared<R> prepare(Work<R> reads) {
        return prepare(Consistency.eventual(), reads);
    }

    /** Like {@link #prepare(Work)}, with the reads served at {@code consistency} (e.g. after the user's token). */
    default <R extends @Nullable Object> Prepared<R> prepare(Consistency consistency, Work<R> reads) {
        Reported<R> r = readReported(consistency, reads);
        return Prepared.of(this, r.value(), r.report());
    }

    /** Like {@link #prepare(Work)} with two independent reads run {@link #parallel(Work, Work) in parallel}. */
    default <A extends @Nullable Object, B extends @Nullable Object> Prepared<Pair<A, B>> prepare(Work<A> a,
                                                                                                  Work<B> b) {
        Reported<Pair<A, B>> r = parallelReported(a, b);
        return Prepared.of(this, r.value(), r.report());
    }

    /** Like {@link #parallel(Work, Work)}, and also returns the group's {@link UnitReport}. */
    <A extends @Nullable Object, B extends @Nullable Object> Reported<Pair<A, B>> parallelReported(Work<A> a,
                                                                                                   Work<B> b);

    /**
     * Runs two read works concurrently, each on its own virtual thread and its own read connection, without a
     * transaction, all on the same node where possible. When one fails, the other is cancelled (its thread is
     * interrupted and its running statement cancelled on the server) and the first failure is thrown, with the
     * others' failures suppressed. Returns once no work of the group is running any more.
     */
    <A extends @Nullable Object, B extends @Nullable Object> Pair<A, B> parallel(Work<A> a, Work<B> b);

    /** Three-work form of {@link #parallel(Work, Work)}. */
    <A extends @Nullable Object, B extends @Nullable Object, C extends @Nullable Object> Triple<A, B, C> parallel(
            Work<A> a, Work<B> b, Work<C> c);

    /**
     * Runs any number of read works as in {@link #parallel(Work, Work)}, at most the configured
     * {@link Junction.Builder#parallelism(int) parallelism} at a time, and returns their results in order. The
     * returned list is unmodifiable and may contain {@code null}s.
     */
    <T extends @Nullable Object> List<T> parallelAll(List<? extends Work<? extends T>> works);

    /**
     * The cached lookup (reference) tables declared with {@link Junction.Builder#lookups}: read them with
     * {@code db.lookups().get(ROLES)} instead of a query. Without declared lookups every {@code get} fails with a
     * message saying how to declare one.
     */
    dev.junction.lookup.LookupCache lookups();

    /**
     * What operators read without casting to the router: its health verdict with every node's details, and its
     * routing counts, e.g. {@code db.cluster().map(c -> c.health().state())} for a readiness check. Present when the
     * Database routes through a router that knows its nodes (routing's {@code ClusterRouter}, also when built by
     * {@link Junction#fromConfig}); empty for a Database built on one DataSource or a router without that view. No
     * I/O.
     */
    default Optional<ClusterView> cluster() {
        return Optional.empty();
    }

    /**
     * Stops the lookup cache's listener, removes the router's meters bound by
     * {@link Junction.Builder#meterRegistry} and closes the router (its pools); further units fail. A Database built on a
     * DataSource leaves it open.
     */
    @Override
    void close();
}
