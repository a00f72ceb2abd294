package dev.junction;

import java.time.Duration;
import java.util.Objects;

/**
 * Which transaction lints run and how strictly. Immutable and thread-safe, with value equality; start from
 * {@link #defaults()} (all {@link LintMode#WARN}), {@link #strict()} (all {@link LintMode#STRICT}, recommended for
 * tests) or {@link #off()}, and derive a changed copy with {@link #from(Lints)}:
 *
 * <pre>{@code
 * Lints lints = Lints.from(Lints.defaults()).transactionGap(LintMode.WARN).gapThreshold(Duration.ofMillis(50)).build();
 * }</pre>
 *
 * <p>The lints:
 * <ul>
 *   <li>{@link #writeWithoutWrites()}: a {@code write} unit that ran no statement that modifies data: it held a
 *       primary connection and a transaction for reads; use {@code read} (or {@code parallel});</li>
 *   <li>{@link #transactionGap()}: a pause between two statements of one transaction longer than
 *       {@link #gapThreshold()}: the work did something else (an HTTP call, a computation) while holding the
 *       connection and the transaction's locks; do it before or after the transaction;</li>
 *   <li>{@link #nPlusOne()}: one statement shape (SQL without bind values) run more than
 *       {@link #nPlusOneThreshold()} times in one unit of work: a loop of per-row queries; fetch the rows with their
 *       relations in one statement (a generated graph fetcher, MULTISET or a join);</li>
 *   <li>{@link #lookupReadInWrite()}: a write transaction ran a read-only statement on a declared lookup table
 *       ({@link dev.junction.lookup.Lookups}): it held the transaction open for data that is cached; use
 *       {@code db.lookups().get(...)} or read it before the transaction. Reads after the same transaction wrote that
 *       table are allowed (editing reference data).</li>
 * </ul>
 */
public final class Lints {
    /** Default of {@link #gapThreshold()}. */
    public static final Duration DEFAULT_GAP_THRESHOLD = Duration.ofMillis(100);
    /** Default of {@link #nPlusOneThreshold()}. */
    public static final int DEFAULT_N_PLUS_ONE_THRESHOLD = 5;

    private static final Lints DEFAULTS = builder().build();
    private static final Lints STRICT = all(LintMode.STRICT);
    private static final Lints OFF = all(LintMode.OFF);

    private final LintMode writeWithoutWrites;
    private final LintMode transactionGap;
    private final Duration gapThreshold;
    private final LintMode nPlusOne;
    private final int nPlusOneThreshold;
    private final LintMode lookupReadInWrite;

    private Lints(Builder b) {
        this.writeWithoutWrites = b.writeWithoutWrites;
        this.transactionGap = b.transactionGap;
        this.gapThreshold = b.gapThreshold;
        this.nPlusOne = b.nPlusOne;
        this.nPlusOneThreshold = b.nPlusOneThreshold;
        this.lookupReadInWrite = b.lookupReadInWrite;
    }

    /** Every lint in WARN, gap threshold 100ms, N+1 threshold 5. */
    public static Lints defaults() {
        return DEFAULTS;
    }

    /** Every lint in STRICT (throws), thresholds as {@link #defaults()}: for tests. */
    public static Lints strict() {
        return STRICT;
    }

    /** Every lint OFF. */
    public static Lints off() {
        return OFF;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(Lints existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.writeWithoutWrites = existing.writeWithoutWrites;
        b.transactionGap = existing.transactionGap;
        b.gapThreshold = existing.gapThreshold;
        b.nPlusOne = existing.nPlusOne;
        b.nPlusOneThreshold = existing.nPlusOneThreshold;
        b.lookupReadInWrite = existing.lookupReadInWrite;
        return b;
    }

    private static Lints all(LintMode mode) {
        return builder().writeWithoutWrites(mode).transactionGap(mode).nPlusOne(mode).lookupReadInWrite(mode).build();
    }

    /** The mode of the lint for a write unit that modified nothing. */
    public LintMode writeWithoutWrites() {
        return writeWithoutWrites;
    }

    /** The mode of the lint for an idle pause inside a transaction. */
    public LintMode transactionGap() {
        return transactionGap;
    }

    /** The longest pause between two statements of one transaction that {@link #transactionGap()} accepts. */
    public Duration gapThreshold() {
        return gapThreshold;
    }

    /** The mode of the lint for one statement shape run many times in one unit. */
    public LintMode nPlusOne() {
        return nPlusOne;
    }

    /** How many runs of one statement shape a unit may make before {@link #nPlusOne()} finds it. */
    public int nPlusOneThreshold() {
        return nPlusOneThreshold;
    }

    /** The mode of the lint for a lookup table read inside a write transaction. */
    public LintMode lookupReadInWrite() {
        return lookupReadInWrite;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lints other && writeWithoutWrites == other.writeWithoutWrites
                && transactionGap == other.transactionGap && gapThreshold.equals(other.gapThreshold)
                && nPlusOne == other.nPlusOne && nPlusOneThreshold == other.nPlusOneThreshold
                && lookupReadInWrite == other.lookupReadInWrite;
    }

    @Override
    public int hashCode() {
        return Objects.hash(writeWithoutWrites, transactionGap, gapThreshold, nPlusOne, nPlusOneThreshold,
                lookupReadInWrite);
    }

    @Override
    public String toString() {
        return "Lints[writeWithoutWrites=" + writeWithoutWrites + ", transactionGap=" + transactionGap
                + ", gapThreshold=" + gapThreshold + ", nPlusOne=" + nPlusOne + ", nPlusOneThreshold="
                + nPlusOneThreshold + ", lookupReadInWrite=" + lookupReadInWrite + "]";
    }

    /**
     * Options of {@link Lints}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), and {@link #build()} copies the
     * values, so a builder can be reused.
     */
    public static final class Builder {
        private LintMode writeWithoutWrites = LintMode.WARN;
        private LintMode transactionGap = LintMode.WARN;
        private Duration gapThreshold = DEFAULT_GAP_THRESHOLD;
        private LintMode nPlusOne = LintMode.WARN;
        private int nPlusOneThreshold = DEFAULT_N_PLUS_ONE_THRESHOLD;
        private LintMode lookupReadInWrite = LintMode.WARN;

        private Builder() {
        }

        /** The mode of {@code write-without-writes} (default WARN). */
        public Builder writeWithoutWrites(LintMode mode) {
            this.writeWithoutWrites = Objects.requireNonNull(mode, "writeWithoutWrites");
            return this;
        }

        /** The mode of {@code transaction-gap} (default WARN). */
        public Builder transactionGap(LintMode mode) {
            this.transactionGap = Objects.requireNonNull(mode, "transactionGap");
            return this;
        }

        /**
         * The longest pause between two statements of one transaction that {@code transaction-gap} accepts
         * (default 100ms).
         *
         * @throws ConfigurationException when not positive
         */
        public Builder gapThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "gapThreshold");
            if (threshold.isNegative() || threshold.isZero()) {
                throw new ConfigurationException("gapThreshold must be positive, e.g. Duration.ofMillis(100), but"
                        + " was " + threshold);
            }
            this.gapThreshold = threshold;
            return this;
        }

        /** The mode of {@code n-plus-one} (default WARN). */
        public Builder nPlusOne(LintMode mode) {
            this.nPlusOne = Objects.requireNonNull(mode, "nPlusOne");
            return this;
        }

        /**
         * How many runs of one statement shape a unit may make (default 5); the next one is a finding.
         *
         * @throws ConfigurationException when below 1
         */
        public Builder nPlusOneThreshold(int threshold) {
            if (threshold < 1) {
                throw new ConfigurationException("nPlusOneThreshold must be >= 1, e.g. 5, but was " + threshold);
            }
            this.nPlusOneThreshold = threshold;
            return this;
        }

        /** The mode of {@code lookup-read-in-write} (default WARN). */
        public Builder lookupReadInWrite(LintMode mode) {
            this.lookupReadInWrite = Objects.requireNonNull(mode, "lookupReadInWrite");
            return this;
        }

        /** The lints; every value was checked by its setter. */
        public Lints build() {
            return new Lints(this);
        }
    }
}
