package dev.junction;

import dev.junction.internal.unit.SlowStatementLog;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of a {@link Database} that configuration can set: the default transaction budget and whether the server
 * enforces it too, the transaction lints, the slow-statement log and the parallelism of read groups. Immutable and
 * thread-safe, with value equality; start from {@link #defaults()} or {@link #builder()}, derive a changed copy with
 * {@link #from(DatabaseSettings)}, hand it to {@link Junction.Builder#settings(DatabaseSettings)}, or let
 * {@code junction.yaml}'s {@code database:} section fill it (see {@code docs/configuration.md}).
 *
 * <pre>{@code
 * DatabaseSettings settings = DatabaseSettings.builder()
 *         .transactionBudget(Duration.ofSeconds(2))
 *         .lints(Lints.strict())
 *         .build();
 * Database db = Junction.builder().router(router).settings(settings).build();
 * }</pre>
 *
 * <p>What is not here needs Java objects rather than values: the DataSource or router, unit listeners, jOOQ
 * {@code Settings} and {@link dev.junction.lookup.Lookups lookup tables} (declared with jOOQ tables) are set on
 * {@link Junction.Builder}. The dialect stays {@code POSTGRES}.
 */
public final class DatabaseSettings {
    /** Default of {@link #transactionBudget()}. */
    public static final Duration DEFAULT_TRANSACTION_BUDGET = Duration.ofSeconds(5);
    /** Default of {@link #parallelism()}. */
    public static final int DEFAULT_PARALLELISM = 8;
    /** Default of {@link #slowStatementThreshold()}. */
    public static final Duration DEFAULT_SLOW_STATEMENT_THRESHOLD = SlowStatementLog.DEFAULT_THRESHOLD;

    private static final DatabaseSettings DEFAULTS = builder().build();

    private final Duration transactionBudget;
    private final boolean serverSideBudget;
    private final Lints lints;
    private final Duration slowStatementThreshold;
    private final boolean slowStatementBindValues;
    private final int parallelism;

    private DatabaseSettings(Builder b) {
        this.transactionBudget = b.transactionBudget;
        this.serverSideBudget = b.serverSideBudget;
        this.lints = b.lints;
        this.slowStatementThreshold = b.slowStatementThreshold;
        this.slowStatementBindValues = b.slowStatementBindValues;
        this.parallelism = b.parallelism;
    }

    /**
     * Budget 5s, also set on the server; lints {@link Lints#defaults()}; slow statements logged from 1s, without bind
     * values; parallelism 8.
     */
    public static DatabaseSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(DatabaseSettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.transactionBudget = existing.transactionBudget;
        b.serverSideBudget = existing.serverSideBudget;
        b.lints = existing.lints;
        b.slowStatementThreshold = existing.slowStatementThreshold;
        b.slowStatementBindValues = existing.slowStatementBindValues;
        b.parallelism = existing.parallelism;
        return b;
    }

    /** The time budget of every write transaction that does not name its own. */
    public Duration transactionBudget() {
        return transactionBudget;
    }

    /** Whether each write transaction also hands its budget to the server as local timeouts. */
    public boolean serverSideBudget() {
        return serverSideBudget;
    }

    /** The transaction lints and their modes. */
    public Lints lints() {
        return lints;
    }

    /** Statements at least this long are logged; zero switches the log off. */
    public Duration slowStatementThreshold() {
        return slowStatementThreshold;
    }

    /** Whether the slow-statement log prints bind values. */
    public boolean slowStatementBindValues() {
        return slowStatementBindValues;
    }

    /** The most works of one parallel call holding a connection at the same time. */
    public int parallelism() {
        return parallelism;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseSettings other && transactionBudget.equals(other.transactionBudget)
                && serverSideBudget == other.serverSideBudget && lints.equals(other.lints)
                && slowStatementThreshold.equals(other.slowStatementThreshold)
                && slowStatementBindValues == other.slowStatementBindValues && parallelism == other.parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(transactionBudget, serverSideBudget, lints, slowStatementThreshold,
                slowStatementBindValues, parallelism);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[transactionBudget=" + transactionBudget + ", serverSideBudget=" + serverSideBudget
                + ", lints=" + lints + ", slowStatementThreshold=" + slowStatementThreshold
                + ", slowStatementBindValues=" + slowStatementBindValues + ", parallelism=" + parallelism + "]";
    }

    /**
     * Options of {@link DatabaseSettings}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked: {@link Junction.Builder}'s setters of
     * the same names delegate here), and {@link #build()} copies the values, so a builder can be reused.
     */
    public static final class Builder {
        private Duration transactionBudget = DEFAULT_TRANSACTION_BUDGET;
        private boolean serverSideBudget = true;
        private Lints lints = Lints.defaults();
        private Duration slowStatementThreshold = DEFAULT_SLOW_STATEMENT_THRESHOLD;
        private boolean slowStatementBindValues;
        private int parallelism = DEFAULT_PARALLELISM;

        private Builder() {
        }

        /**
         * The default time budget of every {@link Database#write(Work) write} transaction (default 5s); a call can
         * name its own with {@link Database#write(Duration, Work)}. Past it the transaction is rolled back with
         * {@link TransactionBudgetExceededException}.
         *
         * @throws ConfigurationException when not positive
         */
        public Builder transactionBudget(Duration budget) {
            Objects.requireNonNull(budget, "transactionBudget");
            if (budget.isNegative() || budget.isZero()) {
                throw new ConfigurationException("transactionBudget must be positive, e.g. Duration.ofSeconds(5),"
                        + " but was " + budget);
            }
            this.transactionBudget = budget;
            return this;
        }

        /**
         * Whether each write transaction also hands its budget to the server as {@code SET LOCAL}
         * {@code statement_timeout}, {@code idle_in_transaction_session_timeout} and {@code transaction_timeout}
         * (default true). That costs one round trip per write; without it the library alone enforces the budget
         * (deadline checks and cancelling a running statement), which does not cover a client that stops
         * responding mid-transaction.
         */
        public Builder serverSideBudget(boolean enabled) {
            this.serverSideBudget = enabled;
            return this;
        }

        /** The transaction lints and their modes (default {@link Lints#defaults()}: all WARN). */
        public Builder lints(Lints value) {
            this.lints = Objects.requireNonNull(value, "lints");
            return this;
        }

        /**
         * Statements that take at least this long are logged at WARN on the logger {@code dev.junction.slow} with
         * their duration, node, role, row count, unit kind and SQL shape (placeholders, no values); default
         * {@code 1s}, {@link Duration#ZERO} switches the log off. Bind values are not shown unless
         * {@link #slowStatementBindValues(boolean)} is on.
         *
         * @throws ConfigurationException when negative
         */
        public Builder slowStatementThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "slowStatementThreshold");
            if (threshold.isNegative()) {
                throw new ConfigurationException("slowStatementThreshold must be >= 0 (0 switches the log off),"
                        + " but was " + threshold);
            }
            this.slowStatementThreshold = threshold;
            return this;
        }

        /**
         * Whether the slow-statement log prints bind values (default false: it prints how many there were). Bind
         * values may carry personal data and secrets; switch this on only where such logs are acceptable, e.g. on a
         * developer's machine.
         */
        public Builder slowStatementBindValues(boolean enabled) {
            this.slowStatementBindValues = enabled;
            return this;
        }

        /**
         * The most works of one parallel call that hold a connection at the same time (default 8), so one call
         * cannot drain a pool.
         *
         * @throws ConfigurationException when below 1
         */
        public Builder parallelism(int value) {
            if (value < 1) {
                throw new ConfigurationException("parallelism must be >= 1, but was " + value);
            }
            this.parallelism = value;
            return this;
        }

        /** The settings; every value was checked by its setter. */
        public DatabaseSettings build() {
            return new DatabaseSettings(this);
        }
    }
}
