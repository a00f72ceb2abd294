package dev.junction.doctor;

import dev.junction.spi.Role;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything one run of the doctor found, rendered by {@link TextReport} and {@link JsonReport}. Immutable.
 *
 * @param source            the configuration file, as given
 * @param nodes             one entry per configured node, in configuration order
 * @param budgets           the connection budget of every server that answered
 * @param foreignKeysNode   the node whose catalog was searched for foreign keys, or null when none answered
 * @param foreignKeys       foreign keys without a supporting index
 * @param longRunning       the threshold for active statements
 * @param idleInTransaction the threshold for sessions idle in a transaction
 * @param sessions          sessions over those thresholds, on every node that answered
 * @param statements        per node that answered: its top statements, or why there are none
 * @param findings          every finding, most severe first
 */
record DoctorReport(String source, List<NodeReport> nodes, List<BudgetReport> budgets,
                    @Nullable String foreignKeysNode, List<ForeignKey> foreignKeys, Duration longRunning,
                    Duration idleInTransaction, List<Session> sessions, List<NodeStatements> statements,
                    List<Finding> findings) {

    DoctorReport {
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    /** The most severe finding's severity, or null when there is none. */
    @Nullable Severity worst() {
        return findings.isEmpty() ? null : findings.get(0).severity();
    }

    /** {@link Doctor#CRITICAL} when any finding is critical, else {@link Doctor#OK}. */
    int exitCode() {
        return worst() == Severity.CRITICAL ? Doctor.CRITICAL : Doctor.OK;
    }

    long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /**
     * One node as the doctor saw it.
     *
     * @param lagBytes        for a replica: WAL bytes behind the primary's insert position, read just before
     * @param lagSeconds      for a replica: 0 when no bytes behind, else how long after the primary's position was
     *                        read the replica had replayed it
     * @param lagAtLeast      the replica had not replayed that position when the doctor stopped waiting, so
     *                        {@code lagSeconds} is a lower bound
     */
    record NodeReport(String name, Role configuredRole, @Nullable Role observedRole, boolean reachable,
                      @Nullable String error, @Nullable String serverVersion, @Nullable String lsn,
                      @Nullable Long lagBytes, @Nullable Double lagSeconds, boolean lagAtLeast, int maxConnections,
                      int connections) {
    }

    /** One server's connection budget, as checked at start-up, with its severity. */
    record BudgetReport(String where, long demand, long available, long percent, String arithmetic,
                        @Nullable Severity severity) {
    }

    /**
     * A foreign key whose referencing columns lead no index: deleting or updating a referenced row scans the table.
     *
     * @param table         the referencing table, quoted where needed
     * @param columns       its columns, quoted where needed
     * @param estimatedRows the planner's estimate ({@code reltuples}), null before the first ANALYZE
     */
    record ForeignKey(String table, String constraint, List<String> columns, String references,
                      @Nullable Long estimatedRows) {
        String fix() {
            return "create index concurrently on " + table + " (" + String.join(", ", columns) + ");";
        }
    }

    /**
     * A session over a threshold.
     *
     * @param state   {@code active} or {@code idle in transaction} (or {@code idle in transaction (aborted)})
     * @param seconds how long it has been in that state (active: since its statement started)
     * @param query   the statement's shape (literals replaced by {@code ?}), or what the server shows instead
     */
    record Session(String node, int pid, @Nullable String user, @Nullable String application, String state,
                   double seconds, String query) {
    }

    /** A node's top statements, or why it has none ({@code available} false and a note). */
    record NodeStatements(String node, boolean available, @Nullable String note, List<TopStatement> top) {
    }

    /** One row of {@code pg_stat_statements}, its query as a shape. */
    record TopStatement(String query, long calls, double totalMillis, double meanMillis, long rows) {
    }
}
