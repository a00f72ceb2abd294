package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.ConfigValidator;
import dev.junction.routing.internal.Durations;
import dev.junction.routing.internal.JdbcUrls;
import dev.junction.routing.internal.Lsn;
import dev.junction.routing.internal.Probe;
import dev.junction.routing.internal.StartupChecks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The checks and formats of the routing layer that tools outside a running router need, such as
 * {@code junction-doctor}: the configuration checks {@link ClusterRouter#create} runs, the connection-budget
 * arithmetic of its start-up checks, and the duration, URL, WAL-position and failure formats its messages use. A
 * tool that uses these reports exactly what the router would refuse or warn about, in the router's words: every method
 * delegates to the code the router itself runs, so the two cannot drift apart. Public on purpose (issue 18), so that
 * no tool needs a {@code routing.internal} package; it grows only when a tool needs another of the router's checks.
 * Stateless and thread-safe; nothing here opens a connection.
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    /**
     * Runs the checks that need no server, the ones {@link ClusterRouter#create} runs before it connects.
     *
     * @throws ConfigurationException listing every problem, each with its path in the configuration
     */
    public static void validate(RoutingConfig config) {
        ConfigValidator.check(config);
    }

    /**
     * Parses a duration the way the configuration file writes them: {@code 250ms}, {@code 5s}, {@code 1.5s},
     * {@code 2m}, {@code 1h}, {@code 1d}, ISO-8601 ({@code PT5S}) or a bare number of milliseconds.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration parseDuration(String text) {
        return Durations.parse(text);
    }

    /** A duration as the configuration file writes it: {@code 500ms}, {@code 5s}, {@code 90s}. */
    public static String formatDuration(Duration duration) {
        return Durations.format(duration);
    }

    /**
     * Where a node's connections go, as messages print it: {@code host:port/database}, without credentials or
     * parameters.
     *
     * @throws IllegalArgumentException when {@code jdbcUrl} is not a single-host PostgreSQL JDBC URL
     */
    public static String address(String jdbcUrl) {
        return JdbcUrls.parse(jdbcUrl).toString();
    }

    /** The URL without its parameters and without anything before an {@code @} in the host, safe to print. */
    public static String redactedUrl(String jdbcUrl) {
        return JdbcUrls.redacted(jdbcUrl);
    }

    /**
     * Bytes of WAL from {@code behind} to {@code ahead}, both written as PostgreSQL prints a {@code pg_lsn}
     * ({@code 16/B374D848}); like {@code pg_wal_lsn_diff}, but never negative.
     *
     * @throws IllegalArgumentException when either is not a WAL position
     */
    public static long walBytesBehind(String ahead, String behind) {
        return Lsn.bytesBehind(Lsn.parse(ahead), Lsn.parse(behind));
    }

    /** A one-line description of a failure, safe to print: SQLState and message, never a password. */
    public static String describe(Throwable failure) {
        return Probe.describe(failure);
    }

    /**
     * What a server allows, as read from its settings.
     *
     * @param maxConnections    {@code max_connections}
     * @param superuserReserved {@code superuser_reserved_connections}
     * @param reserved          {@code reserved_connections} (0 before PostgreSQL 16)
     */
    public record ServerLimits(int maxConnections, int superuserReserved, int reserved) {
    }

    /**
     * One server's connection budget: what the pools of its nodes may open across all app instances, against what
     * the server leaves for them. {@link ClusterRouter#create} refuses to start when it is {@link #exceeded()} and
     * logs a warning when it is {@link #nearlyExhausted()}.
     *
     * @param where      the node, or the nodes sharing one server, in words: {@code node 'primary'}
     * @param demand     {@code (sum of pool sizes + one monitor connection per node) x appInstances}
     * @param available  {@code max_connections - superuser_reserved_connections - reserved_connections -
     *                   reservedConnections}
     * @param arithmetic the whole computation with its numbers, for messages
     */
    public record ConnectionBudget(String where, long demand, long available, String arithmetic) {
        /** The pools may open more connections than the server leaves for them. */
        public boolean exceeded() {
            return demand > available;
        }

        /** More than 80% of what the server leaves is taken (and not more than all of it). */
        public boolean nearlyExhausted() {
            return !exceeded() && demand * 10 > available * 8;
        }

        /** Demand as a percentage of what is available, rounded; -1 when nothing is available. */
        public long percent() {
            return available <= 0 ? -1 : Math.round(demand * 100.0 / available);
        }
    }

    /**
     * The connection budget of every server of {@code config} whose limits are known, with the arithmetic of the
     * router's start-up check. Nodes with the same host and port share one budget; nodes behind a pooler are left
     * out (the pooler's own limits are the budget there), and so are servers whose limits are all unknown.
     *
     * @param config the configuration whose nodes and pools are counted
     * @param limits by node name; a missing or null entry means the node could not be read
     * @return one budget per server, in the order of the configuration's nodes
     */
    public static List<ConnectionBudget> connectionBudgets(RoutingConfig config,
                                                           Map<String, @Nullable ServerLimits> limits) {
        Map<String, Probe.@Nullable ServerFacts> facts = new LinkedHashMap<>();
        limits.forEach((node, l) -> facts.put(node, l == null ? null
                : new Probe.ServerFacts(false, l.maxConnections(), l.superuserReserved(), l.reserved())));
        return StartupChecks.budgets(config, facts).stream()
                .map(b -> new ConnectionBudget(b.where(), b.demand(), b.available(), b.arithmetic()))
                .toList();
    }
}
