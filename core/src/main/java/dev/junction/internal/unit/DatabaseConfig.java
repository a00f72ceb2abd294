package dev.junction.internal.unit;

import dev.junction.UnitListener;
import dev.junction.spi.ConnectionRouter;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jspecify.annotations.Nullable;

/**
 * The validated, immutable options of a {@code Database}, as copied from {@code Junction.Builder}. Exactly one of
 * {@code dataSource} and {@code router} is set. {@code settings} is a private copy that is never modified.
 *
 * @param dataSource  one DataSource for reads and writes, or null when a router is given
 * @param router      the router, or null when a DataSource is given
 * @param dialect     jOOQ dialect
 * @param parallelism the most works of one parallel call holding a connection at once
 * @param listeners   unit listeners, in registration order
 * @param settings    jOOQ settings
 * @param transactionBudget the default time budget of a write transaction
 * @param lints       the transaction lints and their modes
 * @param serverSideBudget whether write transactions also set the budget as server timeouts (one round trip)
 * @param lookups     the declared lookup tables and their cache settings, or null when none are declared
 * @param slowStatementLog the slow-statement threshold and whether it shows bind values
 */
public record DatabaseConfig(@Nullable DataSource dataSource, @Nullable ConnectionRouter router, SQLDialect dialect,
        int parallelism, List<UnitListener> listeners, Settings settings, java.time.Duration transactionBudget,
        dev.junction.Lints lints, boolean serverSideBudget, dev.junction.lookup.@Nullable Lookups lookups,
        SlowStatementLog slowStatementLog) {
    public DatabaseConfig {
        if ((dataSource == null) == (router == null)) {
            throw new IllegalArgumentException("exactly one of dataSource and router must be set");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, but was " + parallelism);
        }
        Objects.requireNonNull(dialect, "dialect");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(transactionBudget, "transactionBudget");
        Objects.requireNonNull(lints, "lints");
        Objects.requireNonNull(slowStatementLog, "slowStatementLog");
    }

    /** With the default slow-statement log. */
    public DatabaseConfig(@Nullable DataSource dataSource, @Nullable ConnectionRouter router, SQLDialect dialect,
            int parallelism, List<UnitListener> listeners, Settings settings, java.time.Duration transactionBudget,
            dev.junction.Lints lints, boolean serverSideBudget, dev.junction.lookup.@Nullable Lookups lookups) {
        this(dataSource, router, dialect, parallelism, listeners, settings, transactionBudget, lints,
                serverSideBudget, lookups, SlowStatementLog.defaults());
    }

    /** Without lookups. */
    public DatabaseConfig(@Nullable DataSource dataSource, @Nullable ConnectionRouter router, SQLDialect dialect,
            int parallelism, List<UnitListener> listeners, Settings settings, java.time.Duration transactionBudget,
            dev.junction.Lints lints, boolean serverSideBudget) {
        this(dataSource, router, dialect, parallelism, listeners, settings, transactionBudget, lints,
                serverSideBudget, null);
    }
}
