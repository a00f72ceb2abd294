package dev.junction;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The first phase of a two-phase unit of work, already run: reads done outside any transaction (on replicas, in
 * parallel when there were several), whose results feed one short write transaction. This is the shape that keeps
 * primary connections short: lookups and validation reads no longer run while the transaction holds its connection
 * and locks.
 *
 * <pre>{@code
 * Commit<Long> c = db.prepare(ctx -> ctx.fetchOne(ROLE, ROLE.CODE.eq("member")))
 *         .thenWrite((tx, role) -> tx.insertInto(MEMBERSHIP).set(MEMBERSHIP.ROLE_ID, role.getId())...execute());
 * }</pre>
 *
 * <p>The reads do not lock anything: if the write depends on them not changing, re-check in the write (a conditional
 * UPDATE, a constraint) or read them inside the write instead. Immutable; {@link #thenWrite} may be called more than
 * once, each call one transaction.
 *
 * @param <R> the read phase's result
 */
public final class Prepared<R extends @Nullable Object> {
    private final Database database;
    private final R value;
    private final UnitReport report;

    private Prepared(Database database, R value, UnitReport report) {
        this.database = database;
        this.value = value;
        this.report = report;
    }

    /** A read phase's outcome; used by {@link Database} implementations. */
    public static <R extends @Nullable Object> Prepared<R> of(Database database, R value, UnitReport report) {
        return new Prepared<>(Objects.requireNonNull(database, "database"), value,
                Objects.requireNonNull(report, "report"));
    }

    /** The read phase's result. */
    public R value() {
        return value;
    }

    /** What the read phase did (nodes, statements, round trips). */
    public UnitReport report() {
        return report;
    }

    /** Runs the write phase in one transaction on the primary, with the default transaction budget. */
    public <T extends @Nullable Object> Commit<T> thenWrite(PreparedWork<R, T> work) {
        Objects.requireNonNull(work, "work");
        return database.write(tx -> work.run(tx, value));
    }

    /** Runs the write phase in one transaction on the primary, with {@code budget}. */
    public <T extends @Nullable Object> Commit<T> thenWrite(Duration budget, PreparedWork<R, T> work) {
        Objects.requireNonNull(work, "work");
        return database.write(budget, tx -> work.run(tx, value));
    }
}
