package dev.junction.internal.unit;

import dev.junction.Lints;
import dev.junction.UnitListener;
import dev.junction.internal.observation.UnitTracing;
import dev.junction.lookup.Lookups;
import dev.junction.spi.ConnectionRouter;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jspecify.annotations.Nullable;

/**
 * The immutable options of a {@code Database}, as copied from {@code Junction.Builder}. Every option was checked
 * there, once (its setter for a single value, {@code build()} for those involving several): this record checks
 * nothing again. Exactly one of {@code dataSource} and {@code router} is set. {@code settings} is a private copy that
 * is never modified.
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
 * @param tracing     the spans of units of work, or null when no observation registry was given
 */
public record DatabaseConfig(@Nullable DataSource dataSource, @Nullable ConnectionRouter router, SQLDialect dialect,
        int parallelism, List<UnitListener> listeners, Settings settings, Duration transactionBudget, Lints lints,
        boolean serverSideBudget, @Nullable Lookups lookups, SlowStatementLog slowStatementLog,
        @Nullable UnitTracing tracing) {
    public DatabaseConfig {
        listeners = List.copyOf(listeners);
    }
}
