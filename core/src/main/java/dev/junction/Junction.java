package dev.junction;

import dev.junction.internal.observation.UnitTracing;
import dev.junction.internal.unit.DatabaseConfig;
import dev.junction.internal.unit.DefaultDatabase;
import dev.junction.internal.unit.Meters;
import dev.junction.internal.unit.SlowStatementLog;
import dev.junction.lookup.Lookups;
import dev.junction.metrics.RouterMeterBinder;
import dev.junction.metrics.UnitMetrics;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.RouterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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
     * everything else takes the {@link #builder()} defaults. Short for {@code configured(file).build()}; use
     * {@link #configured(Path)} to add a meter registry, listeners, jOOQ settings or lookup tables.
     *
     * @throws ConfigurationException naming the problems in the file, or that no router provider is on the class path
     */
    public static Database fromConfig(Path file) {
        return configured(file).build();
    }

    /**
     * A builder for a Database routed by the configuration file {@code file}, as {@link #fromConfig(Path)}, that also
     * takes what a file cannot hold: a meter registry, unit listeners, jOOQ settings and lookup tables.
     *
     * <pre>{@code
     * Database db = Junction.configured(Path.of("junction.yaml"))
     *         .meterRegistry(registry)            // units, routing, lag, pools and breakers
     *         .unitListener(report -> audit(report))
     *         .build();
     * ClusterHealth health = db.cluster().orElseThrow().health();
     * }</pre>
     *
     * Nothing is read or started before {@link ConfiguredBuilder#build()}.
     */
    public static ConfiguredBuilder configured(Path file) {
        return new ConfiguredBuilder(Objects.requireNonNull(file, "file"));
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
     * Options of a Database whose router and {@link DatabaseSettings} come from a configuration file; see
     * {@link #configured(Path)}. Mutable and not thread-safe; each {@link #build()} reads the file again and starts a
     * new router.
     */
    public static final class ConfiguredBuilder {
        private final Path file;
        private final Builder builder = new Builder();

        private ConfiguredBuilder(Path file) {
            this.file = file;
        }

        /** As {@link Builder#meterRegistry}: every meter of the Database and its router, bound in one call. */
        public ConfiguredBuilder meterRegistry(MeterRegistry registry) {
            builder.meterRegistry(registry);
            return this;
        }

        /** As {@link Builder#observationRegistry}: a span (and observation) per unit of work. */
        public ConfiguredBuilder observationRegistry(ObservationRegistry registry) {
            builder.observationRegistry(registry);
            return this;
        }

        /** As {@link Builder#unitListener}. */
        public ConfiguredBuilder unitListener(UnitListener listener) {
            builder.unitListener(listener);
            return this;
        }

        /** As {@link Builder#jooqSettings}. */
        public ConfiguredBuilder jooqSettings(Settings settings) {
            builder.jooqSettings(settings);
            return this;
        }

        /** As {@link Builder#lookups}. */
        public ConfiguredBuilder lookups(Lookups lookups) {
            builder.lookups(lookups);
            return this;
        }

        /**
         * Reads the file, starts the router it describes and builds the Database with the file's
         * {@code database:} options and this builder's.
         *
         * @throws ConfigurationException naming the problems in the file (every one checked before any node is
         *                                contacted), the start-up checks that failed, or that no router provider is
         *                                on the class path; nothing is left running
         */
        public Database build() {
            RouterProvider.Configured configured = provider(file).configure(file);
            try {
                return builder.router(configured.router()).settings(configured.settings()).build();
            } catch (RuntimeException | Error e) {
                configured.router().close();
                throw e;
            }
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
        public static final int DEFAULT_PARALLELISM = DatabaseSettings.DEFAULT_PARALLELISM;
        /** Default of {@link #transactionBudget(Duration)}, in seconds. */
        public static final int DEFAULT_BUDGET_SECONDS = 5;
        private static final String SPRING_TRANSACTION_AWARE_PROXY =
                "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy";

        private @Nullable DataSource dataSource;
        private @Nullable ConnectionRouter router;
        private SQLDialect dialect = SQLDialect.POSTGRES;
        private final List<UnitListener> listeners = new ArrayList<>();
        private @Nullable Settings settings;
        // The options configuration can set; their setters below delegate here, so each is checked in one place.
        private DatabaseSettings.Builder options = DatabaseSettings.builder();
        private @Nullable Lookups lookups;
        private @Nullable MeterRegistry meterRegistry;
        private @Nullable ObservationRegistry observationRegistry;

        private Builder() {
        }

        /**
         * One DataSource for reads and writes (no replicas). Reads still run without a transaction on a read-only
         * marked connection. The Database does not close the DataSource. Exclusive with {@link #router}.
         *
         * <p>Junction owns the transactions of the connections it takes: it sets auto-commit, commits and rolls
         * back. So it refuses Spring's {@code TransactionAwareDataSourceProxy} (and subclasses), which inside a
         * Spring-managed transaction hands out that transaction's own connection: Junction would commit or roll back
         * a connection Spring owns. Pass the proxy's target DataSource instead; each write is then its own
         * transaction on its own connection, independent of any Spring transaction.
         *
         * @throws ConfigurationException when {@code dataSource} is a Spring transaction-aware proxy
         */
        public Builder dataSource(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            // By name: core does not depend on Spring, and only this one wrapper hands out a connection it owns.
            for (Class<?> c = dataSource.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals(SPRING_TRANSACTION_AWARE_PROXY)) {
                    throw new ConfigurationException("dataSource is a Spring TransactionAwareDataSourceProxy ("
                            + dataSource.getClass().getName() + "); inside a Spring-managed transaction it hands out"
                            + " that transaction's connection, which Junction would commit or roll back itself, so"
                            + " it was refused. Pass the DataSource it wraps instead"
                            + " (proxy.getTargetDataSource()): each db.write is then its own transaction on its own"
                            + " connection; call db.write outside Spring transactions");
                }
            }
            this.dataSource = dataSource;
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

        /**
         * Binds every meter of the Database to {@code registry} when it is built: {@link UnitMetrics} (units,
         * statements, transactions, lints) and, when a {@link RouterMeterBinder} knows the router (routing's does for
         * its {@code ClusterRouter}), routing decisions, node health and lag, HikariCP's pool and Resilience4j's
         * breaker and bulkhead meters. {@link Database#close()} removes the router's meters. Needs
         * {@code io.micrometer:micrometer-core} on the class path; without this call Junction never touches it.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Traces every unit of work through {@code registry} (Micrometer's Observation API, which Spring Boot and
         * Micrometer Tracing build on): each {@code read}, {@code write} and {@code parallel} group is one
         * {@code junction.unit} observation, with a {@code junction.connection.acquire} child per connection it asked
         * for and a {@code junction.statement} child per statement carrying OpenTelemetry's database keys
         * ({@code db.system.name}, {@code db.operation.name}, {@code db.query.summary}, {@code server.address},
         * {@code server.port}); a graph fetch is a {@code junction.unit} of kind {@code graph} inside its unit. No key
         * holds a bind value, a literal or a credential. See {@code docs/tracing.md}. Needs
         * {@code io.micrometer:micrometer-observation} on the class path; without this call Junction never touches it.
         *
         * <p>Independently of this option, the works of {@code parallel(...)} and the lookup cache's loads run with
         * the caller's MDC and, when {@code io.micrometer:context-propagation} is present, with every context its
         * {@code ContextRegistry} knows (the current observation and trace among them).
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
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
            List<UnitListener> all = new ArrayList<>(listeners);
            List<AutoCloseable> meters = new ArrayList<>();
            if (meterRegistry != null) {
                all.add(new UnitMetrics(meterRegistry));
                if (router != null) {
                    AutoCloseable routerMeters = Meters.bindRouter(router, meterRegistry);
                    if (routerMeters != null) {
                        meters.add(routerMeters);
                    }
                }
            }
            DatabaseConfig config = new DatabaseConfig(dataSource, router, dialect, o.parallelism(), all,
                    settings == null ? new Settings() : (Settings) settings.clone(), o.transactionBudget(), o.lints(),
                    o.serverSideBudget(), lookups, new SlowStatementLog(o.slowStatementThreshold(),
                    o.slowStatementBindValues()),
                    observationRegistry == null ? null : UnitTracing.observations(observationRegistry));
            try {
                return new DefaultDatabase(config, meters);
            } catch (RuntimeException | Error e) {
                for (AutoCloseable binding : meters) {
                    try {
                        binding.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }
}
