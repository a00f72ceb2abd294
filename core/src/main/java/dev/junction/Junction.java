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
     * replicas, pools and resilience settings, with environment overrides, and the Database options of its
     * {@code database:} section ({@link DatabaseSettings}). Needs {@code junction-routing} on the class path;
     * everything else takes the {@link #builder()} defaults. For listeners or jOOQ settings, build the router
     * yourself and pass it to {@link Builder#router}.
     *
     * @throws ConfigurationException naming the problems in the file, or that no router provider is on the class path
     */
    public static Database fromConfig(Path file) {
        Objects.requireNonNull(file, "file");
        RouterProvider.Configured configured = provider(file).configure(file);
        try {
            return builder().router(configured.router()).settings(configured.settings()).build();
        } catch (RuntimeException | Error e) {
            configured.router().close();
            throw e;
        }
    }

    private static RouterProvider provider(Path file) {
        var providers = ServiceLoader.load(RouterProvider.class,
                Junction.class.getClassLoader()).stream().toList();
        if (providers.isEmpty()) {
            throw new ConfigurationException("Junction.fromConfig(" + file + ") needs a router provider, and none is"
                    + " on the class path; add the dependency dev.junction:junction-routing, or build the router"
                    + " yourself and use Junction.builder().router(...)");
        }
        return providers.get(0).get();
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
        public static final int DEFAULT_PARALLELISM = DatabaseSettings.DEFAULT_PARALLELISM;
        /** Default of {@link #transactionBudget(Duration)}, in seconds. */
        public static final int DEFAULT_BUDGET_SECONDS = 5;

        private @Nullable DataSource dataSource;
        private @Nullable ConnectionRouter router;
        private SQLDialect dialect = SQLDialect.POSTGRES;
        private final List<UnitListener> listeners = new ArrayList<>();
        private @Nullable Settings settings;
        // The options configuration can set; their setters below delegate here, so each is checked in one place.
        private DatabaseSettings.Builder options = DatabaseSettings.builder();
        private @Nullable Lookups lookups;

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
            options.transactionBudget(budget);
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
            options.serverSideBudget(enabled);
            return this;
        }

        /** The transaction lints and their modes (default {@link Lints#defaults()}: all WARN). */
        public Builder lints(Lints lints) {
            options.lints(lints);
            return this;
        }

        /**
         * The most works of one parallel call that hold a connection at the same time (default 8), so one call
         * cannot drain a pool.
         *
         * @throws ConfigurationException when below 1
         */
        public Builder parallelism(int parallelism) {
            options.parallelism(parallelism);
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
            options.slowStatementThreshold(threshold);
            return this;
        }

        /**
         * Whether the slow-statement log prints bind values (default false: it prints how many there were). Bind
         * values may carry personal data and secrets; switch this on only where such logs are acceptable, e.g. on a
         * developer's machine.
         */
        public Builder slowStatementBindValues(boolean enabled) {
            options.slowStatementBindValues(enabled);
            return this;
        }

        /**
         * Every option {@link DatabaseSettings} holds at once (transaction budget, server-side budget, lints,
         * slow-statement log, parallelism), replacing what the single setters set so far; a setter called afterwards
         * changes that one option again. {@link Junction#fromConfig} passes the {@code database:} section of
         * {@code junction.yaml} here.
         */
        public Builder settings(DatabaseSettings settings) {
            this.options = DatabaseSettings.from(Objects.requireNonNull(settings, "settings"));
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
            DatabaseSettings o = options.build();
            DatabaseConfig config = new DatabaseConfig(dataSource, router, dialect, o.parallelism(), listeners,
                    settings == null ? new Settings() : (Settings) settings.clone(), o.transactionBudget(), o.lints(),
                    o.serverSideBudget(), lookups, new SlowStatementLog(o.slowStatementThreshold(),
                    o.slowStatementBindValues()));
            return new DefaultDatabase(config);
        }
    }
}
