package dev.junction;

import java.time.Duration;
import java.util.Objects;

/**
 * Which transaction lints run and how strictly. Immutable and thread-safe; start from {@link #DEFAULTS} (all
 * {@link LintMode#WARN}) or {@link #strict()} (all {@link LintMode#STRICT}, recommended for tests).
 *
 * @param writeWithoutWrites a {@code write} unit that ran no statement that modifies data: it held a primary
 *                           connection and a transaction for reads; use {@code read} (or {@code parallel})
 * @param transactionGap     a pause between two statements of one transaction longer than {@code gapThreshold}:
 *                           the work did something else (an HTTP call, a computation) while holding the connection
 *                           and the transaction's locks; do it before or after the transaction
 * @param gapThreshold       the longest pause {@code transactionGap} accepts (default 100ms)
 * @param nPlusOne           one statement shape (SQL without bind values) run more than {@code nPlusOneThreshold}
 *                           times in one unit of work: a loop of per-row queries; fetch the rows with their relations
 *                           in one statement (a generated graph fetcher, MULTISET or a join)
 * @param nPlusOneThreshold  how many runs of one shape a unit may make (default 5)
 * @param lookupReadInWrite  a write transaction ran a read-only statement on a declared lookup table
 *                           ({@link dev.junction.lookup.Lookups}): it held the transaction open for data that is
 *                           cached; use {@code db.lookups().get(...)} or read it before the transaction. Reads after
 *                           the same transaction wrote that table are allowed (editing reference data)
 */
public record Lints(LintMode writeWithoutWrites, LintMode transactionGap, Duration gapThreshold, LintMode nPlusOne,
                    int nPlusOneThreshold, LintMode lookupReadInWrite) {

    /** Every lint in WARN, gap threshold 100ms, N+1 threshold 5. */
    public static final Lints DEFAULTS = new Lints(LintMode.WARN, LintMode.WARN, Duration.ofMillis(100),
            LintMode.WARN, 5, LintMode.WARN);

    public Lints {
        Objects.requireNonNull(writeWithoutWrites, "writeWithoutWrites");
        Objects.requireNonNull(transactionGap, "transactionGap");
        Objects.requireNonNull(gapThreshold, "gapThreshold");
        Objects.requireNonNull(nPlusOne, "nPlusOne");
        Objects.requireNonNull(lookupReadInWrite, "lookupReadInWrite");
        if (nPlusOneThreshold < 1) {
            throw new IllegalArgumentException("nPlusOneThreshold must be >= 1, e.g. 5, but was " + nPlusOneThreshold);
        }
        if (gapThreshold.isNegative() || gapThreshold.isZero()) {
            throw new IllegalArgumentException("gapThreshold must be positive, e.g. Duration.ofMillis(100), but was "
                    + gapThreshold);
        }
    }

    /** The lints without {@code lookupReadInWrite}, which is then {@link LintMode#WARN}. */
    public Lints(LintMode writeWithoutWrites, LintMode transactionGap, Duration gapThreshold, LintMode nPlusOne,
                 int nPlusOneThreshold) {
        this(writeWithoutWrites, transactionGap, gapThreshold, nPlusOne, nPlusOneThreshold, LintMode.WARN);
    }

    /** Every lint in STRICT (throws), gap threshold 100ms: for tests. */
    public static Lints strict() {
        return new Lints(LintMode.STRICT, LintMode.STRICT, DEFAULTS.gapThreshold, LintMode.STRICT,
                DEFAULTS.nPlusOneThreshold, LintMode.STRICT);
    }

    /** Every lint OFF. */
    public static Lints off() {
        return new Lints(LintMode.OFF, LintMode.OFF, DEFAULTS.gapThreshold, LintMode.OFF,
                DEFAULTS.nPlusOneThreshold, LintMode.OFF);
    }

    public Lints withWriteWithoutWrites(LintMode mode) {
        return new Lints(mode, transactionGap, gapThreshold, nPlusOne, nPlusOneThreshold, lookupReadInWrite);
    }

    public Lints withTransactionGap(LintMode mode, Duration threshold) {
        return new Lints(writeWithoutWrites, mode, threshold, nPlusOne, nPlusOneThreshold, lookupReadInWrite);
    }

    public Lints withNPlusOne(LintMode mode, int threshold) {
        return new Lints(writeWithoutWrites, transactionGap, gapThreshold, mode, threshold, lookupReadInWrite);
    }

    /** A copy with the lookup-read-in-write lint in {@code mode}. */
    public Lints withLookupReadInWrite(LintMode mode) {
        return new Lints(writeWithoutWrites, transactionGap, gapThreshold, nPlusOne, nPlusOneThreshold, mode);
    }
}
