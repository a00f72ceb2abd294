package dev.junction.spring;

import dev.junction.LintMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code junction.database.*}: the options of {@code Junction.builder()}, as {@code database:} in
 * {@code junction.yaml}. Mutable JavaBean for Spring's binder; not thread-safe, read once at start-up.
 */
public class DatabaseProperties {
    /** Default time budget of every write transaction (default 5s). */
    private @Nullable Duration transactionBudget;
    /** Whether a write also hands its budget to the server with SET LOCAL (default true). */
    private @Nullable Boolean serverSideBudget;
    /** Most works of one parallel call holding a connection at once (default 8). */
    private @Nullable Integer parallelism;
    /** The slow-statement log. */
    private final SlowStatements slowStatements = new SlowStatements();
    /** The transaction lints. */
    private final Lints lints = new Lints();

    public @Nullable Duration getTransactionBudget() {
        return transactionBudget;
    }

    public void setTransactionBudget(@Nullable Duration transactionBudget) {
        this.transactionBudget = transactionBudget;
    }

    public @Nullable Boolean getServerSideBudget() {
        return serverSideBudget;
    }

    public void setServerSideBudget(@Nullable Boolean serverSideBudget) {
        this.serverSideBudget = serverSideBudget;
    }

    public @Nullable Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(@Nullable Integer parallelism) {
        this.parallelism = parallelism;
    }

    public SlowStatements getSlowStatements() {
        return slowStatements;
    }

    public Lints getLints() {
        return lints;
    }

    /** {@code junction.database.slow-statements.*}. */
    public static class SlowStatements {
        /** Statements at least this long are logged on dev.junction.slow; 0 switches the log off (default 1s). */
        private @Nullable Duration threshold;
        /** Whether the log prints bind values (default false: they may carry personal data). */
        private @Nullable Boolean bindValues;

        public @Nullable Duration getThreshold() {
            return threshold;
        }

        public void setThreshold(@Nullable Duration threshold) {
            this.threshold = threshold;
        }

        public @Nullable Boolean getBindValues() {
            return bindValues;
        }

        public void setBindValues(@Nullable Boolean bindValues) {
            this.bindValues = bindValues;
        }
    }

    /** {@code junction.database.lints.*}: each off, warn (default) or strict. */
    public static class Lints {
        /** A write unit that wrote nothing. */
        private @Nullable LintMode writeWithoutWrites;
        /** A write transaction idle between statements longer than gap-threshold. */
        private @Nullable LintMode transactionGap;
        /** The idle time that counts as a transaction gap (default 100ms). */
        private @Nullable Duration gapThreshold;
        /** The same statement shape repeated in one unit (N+1 queries). */
        private @Nullable LintMode nPlusOne;
        /** How many repetitions count as N+1 (default 5). */
        private @Nullable Integer nPlusOneThreshold;
        /** A lookup table read inside a write. */
        private @Nullable LintMode lookupReadInWrite;

        public @Nullable LintMode getWriteWithoutWrites() {
            return writeWithoutWrites;
        }

        public void setWriteWithoutWrites(@Nullable LintMode writeWithoutWrites) {
            this.writeWithoutWrites = writeWithoutWrites;
        }

        public @Nullable LintMode getTransactionGap() {
            return transactionGap;
        }

        public void setTransactionGap(@Nullable LintMode transactionGap) {
            this.transactionGap = transactionGap;
        }

        public @Nullable Duration getGapThreshold() {
            return gapThreshold;
        }

        public void setGapThreshold(@Nullable Duration gapThreshold) {
            this.gapThreshold = gapThreshold;
        }

        public @Nullable LintMode getNPlusOne() {
            return nPlusOne;
        }

        public void setNPlusOne(@Nullable LintMode nPlusOne) {
            this.nPlusOne = nPlusOne;
        }

        public @Nullable Integer getNPlusOneThreshold() {
            return nPlusOneThreshold;
        }

        public void setNPlusOneThreshold(@Nullable Integer nPlusOneThreshold) {
            this.nPlusOneThreshold = nPlusOneThreshold;
        }

        public @Nullable LintMode getLookupReadInWrite() {
            return lookupReadInWrite;
        }

        public void setLookupReadInWrite(@Nullable LintMode lookupReadInWrite) {
            this.lookupReadInWrite = lookupReadInWrite;
        }
    }
}
