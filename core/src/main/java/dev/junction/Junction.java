package dev.junction;

import dev.junction.internal.unit.DatabaseConfig;
import dev.junction.internal.unit.DefaultDatabase;
import dev.junction.internal.unit.SlowStatementLog;
import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.RouterProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jspecify.annotations.Nullable;

/**
 * Entry point: builds a {@link Database}.
 *
 * <pre>{@code
 * Database db = Junction.builder().dataSource(dataSource).build();
 * }</pre>
 */
public final class Junction {
    private Junction() {
    }

    /**
     * A Database routed by the configuration file {@code file} (usually {@code junction.yaml}): a primary, its
     * replicas, pools and resilience settings, with environment overrides. Needs {@code junction-routing} on the
     * class path; everything else takes the {@link #builder()} defaults. For listeners or jOOQ settings, build the
     * router yourself and pass it to {@link Builder#router}.
     *
     * @throws ConfigurationException naming the problems in the file, or that no router provider is on the class path
     */
    public static Database fromConfig(Path file) {
        Objects.requireNonNull(file, "file");
        var providers = ServiceLoader.load(RouterProvider.class,
                Junction.class.getClassLoader()).stream().toList();
        if (providers.isEmpty()) {
            throw new ConfigurationException("Junction.fromConfig(" + file + ") needs a router provider, and none is"
                    + " on the class path; add the dependency dev.junction:junction-routing, or build the router"
                    + " yourself and use Junction.builder().router(...)");
        }
        ConnectionRouter router = providers.get(0).get().fromConfig(file);
        try {
            return builder().router(router).build();
        } catch (RuntimeException | Error e) {
            router.close();
            throw e;
        }
    }

    /**
     * A builder with defaults: dialect {@code POSTGRES}, parallelism 8, no listeners, jOOQ's default settings, slow
     * statements (1s and longer) logged without bind values.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options of a {@link Database}. Mutable and not thread-safe. Each setter checks its own value at once
     * ({@link ConfigurationException}); {@link #build()} checks what involves several options
     * ({@link ConfigurationException}) and copies everything into an immutable configuration, so a builder can be
     * reused. Each rule is checked in exactly one place.
     */
    public static final class Builder {
        /** Default of {@link #parallelism(int)}. */
        public static final int DEFAULT_PARALLELISM = 8;
        /** Default of {@link #transactionBudget(Duration)}, in seconds. */
        public static final int DEFAULT_BUDGET_SECONDS = 5;

        private @Nullable DataSource dataSource;
        private @Nullable ConnectionRouter router;
        private SQLDialect dialect = SQLDialect.POSTGRES;
        private int parallelism = DEFAULT_PARALLELISM;
        private final List<UnitListener> listeners = new ArrayList<>();
        private @Nullable Settings settings;
        private Duration transactionBudget = Duration.ofSeconds(DEFAULT_BUDGET_SECONDS);
        private Lints lints = Lints.defaults();
        private boolean serverSideBudget = true;
        private @Nullable Lookups lookups;
        private Duration slowStatementThreshold = SlowStatementLog.DEFAULT_THRESHOLD;
        private boolean slowStatementBindValues;

        private Builder() {
        }

        /**
         * One DataSource for reads and writes (no replicas). Reads still run without a transaction on a read-only
         * marked connection. The Database does not close the DataSource. Exclusive with {@link #router}.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** A router over primary and replicas (see the routing module). Closed with the Database. */
        public Builder router(ConnectionRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /** The jOOQ dialect; default {@link SQLDialect#POSTGRES}. */
        public Builder dialect(SQLDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The default time budget of every {@link Database#write(Work) write} transaction (default
         * {@value #DEFAULT_BUDGET_SECONDS}s); override it per call with {@link Database#write(Duration, Work)}. Past
         * it the transaction is rolled back with {@link TransactionBudgetExceededException}.
         *
         * @throws ConfigurationException when not positive
         */
        public Builder transactionBudget(Duration budget) {
            this.transactionBudget = positiveBudget(budget);
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
        public Builder lints(Lints lints) {
            this.lints = Objects.requireNonNull(lints, "lints");
            return this;
        }

        /**
         * The most works of one parallel call that hold a connection at the same time (default 8), so one call
         * cannot drain a pool.
         *
         * @throws ConfigurationException when below 1
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new ConfigurationException("parallelism must be >= 1, but was " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Lookup (reference) tables to cache, read with {@link Database#lookups()}: see
         * {@link Lookups}. Default: none. With notifications on, the Database keeps one
         * connection listening for changes made by other app instances.
         */
        public Builder lookups(Lookups lookups) {
            this.lookups = Objects.requireNonNull(lookups, "lookups");
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
            Objects.requireNonNull(threshold, "threshold");
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

        /** Adds a listener called at the end of every unit of work. */
        public Builder unitListener(UnitListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** jOOQ settings for every unit; copied when the Database is built. Default: jOOQ's defaults. */
        public Builder jooqSettings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Validates the options and builds the Database.
         *
         * @throws ConfigurationException naming the fields and the fix, when neither or both of dataSource and
         *                                router are set (every single option was checked by its setter)
         */
        public Database build() {
            if (dataSource == null && router == null) {
                throw new ConfigurationException("dataSource or router must be set; call dataSource(...) for one"
                        + " database or router(...) for a primary with replicas");
            }
            if (dataSource != null && router != null) {
                throw new ConfigurationException("dataSource and router are both set; set only one of them");
            }
            DatabaseConfig config = new DatabaseConfig(dataSource, router, dialect, parallelism, listeners,
                    settings == null ? new Settings() : (Settings) settings.clone(), transactionBudget, lints,
                    serverSideBudget, lookups, new SlowStatementLog(slowStatementThreshold, slowStatementBindValues));
            return new DefaultDatabase(config);
        }
    }

    static Duration positiveBudget(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative() || budget.isZero()) {
            throw new ConfigurationException("transaction budget must be positive, e.g. Duration.ofSeconds(5), but"
                    + " was " + budget);
        }
        return budget;
    }
}
