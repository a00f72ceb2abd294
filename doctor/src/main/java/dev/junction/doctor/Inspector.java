package dev.junction.doctor;

import dev.junction.SqlShape;
import dev.junction.doctor.DoctorReport.BudgetReport;
import dev.junction.doctor.DoctorReport.ForeignKey;
import dev.junction.doctor.DoctorReport.NodeReport;
import dev.junction.doctor.DoctorReport.NodeStatements;
import dev.junction.doctor.DoctorReport.Session;
import dev.junction.doctor.DoctorReport.TopStatement;
import dev.junction.routing.Diagnostics;
import dev.junction.routing.Diagnostics.ConnectionBudget;
import dev.junction.routing.Diagnostics.ServerLimits;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the doctor's checks, one method each after the first: topology and lag ({@link TopologyCheck}, which opens one
 * connection per node, outside any pool, application name {@code junction-doctor}), the connection budget, foreign
 * keys without an index, long sessions and the top statements. Read-only catalog and statistics queries, every query
 * marked with a comment so it can be left out of the top statements. Not thread-safe; one instance per run.
 */
final class Inspector implements AutoCloseable {
    /** Marks the doctor's own statements (kept by pg_stat_statements) so the top list can skip them. */
    static final String MARK = "/* junction-doctor */ ";
    static final int QUERY_TIMEOUT_SECONDS = 30;
    static final int SHAPE_LENGTH = 160;

    // A foreign key is supported when an index (not partial) starts with exactly its columns, in any order.
    private static final String FOREIGN_KEYS = MARK + "select c.conrelid::regclass::text, quote_ident(c.conname),"
            + " array(select quote_ident(a.attname) from unnest(c.conkey) with ordinality k(attnum, n)"
            + " join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.n)::text[],"
            + " c.confrelid::regclass::text, case when t.reltuples < 0 then null else t.reltuples::bigint end"
            + " from pg_constraint c join pg_class t on t.oid = c.conrelid"
            + " join pg_namespace ns on ns.oid = t.relnamespace"
            + " where c.contype = 'f' and c.conparentid = 0"
            + " and ns.nspname not in ('pg_catalog', 'information_schema') and ns.nspname not like 'pg\\_toast%'"
            + " and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indpred is null"
            + " and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey"
            + " and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)"
            + " order by 1, 2";

    private static final String SESSIONS = MARK + "select pid, usename, application_name, state,"
            + " extract(epoch from now() - case when state = 'active' then query_start else state_change end)::float8,"
            + " query from pg_stat_activity"
            + " where backend_type = 'client backend' and pid <> pg_backend_pid()"
            + " and ((state = 'active' and now() - query_start >= make_interval(secs => ?))"
            + " or (state like 'idle in transaction%' and now() - state_change >= make_interval(secs => ?)))"
            + " order by 5 desc";

    private static final String SEES_ALL_SESSIONS = MARK + "select rolsuper or pg_has_role(current_user,"
            + " 'pg_read_all_stats', 'usage') from pg_roles where rolname = current_user";

    private static final String PGSS_INSTALLED = MARK
            + "select exists (select 1 from pg_extension where extname = 'pg_stat_statements')";

    private static final String TOP_STATEMENTS = MARK + "select query, calls, total_exec_time, mean_exec_time, rows"
            + " from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())"
            + " and query not like '%junction-doctor%' order by total_exec_time desc limit ?";

    private final RoutingConfig config;
    private final Options options;
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, @Nullable ServerLimits> serverFacts = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    Inspector(RoutingConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    DoctorReport examine(String source) {
        List<NodeReport> nodes = new TopologyCheck(config, findings).run(connections, serverFacts);
        List<BudgetReport> budgets = budgets();
        String fkNode = catalogNode(nodes);
        List<ForeignKey> foreignKeys = fkNode == null ? List.of() : foreignKeys(fkNode);
        List<Session> sessions = new ArrayList<>();
        List<NodeStatements> statements = new ArrayList<>();
        for (String node : connections.keySet()) {
            sessions.addAll(sessions(node));
            statements.add(topStatements(node));
        }
        return new DoctorReport(source, nodes, budgets, fkNode, foreignKeys, options.longRunning(),
                options.idleInTransaction(), sessions, statements, findings);
    }

    // ---- connection budget ----

    private List<BudgetReport> budgets() {
        List<BudgetReport> reports = new ArrayList<>();
        for (ConnectionBudget b : Diagnostics.connectionBudgets(config, serverFacts)) {
            Severity severity = null;
            if (b.exceeded()) {
                severity = Severity.CRITICAL;
                critical("connection-budget", "connection budget exceeded on " + b.where() + ": "
                        + b.arithmetic() + "; lower maximumPoolSize or appInstances, or raise max_connections."
                        + " Junction refuses to start with this configuration");
            } else if (b.nearlyExhausted()) {
                severity = Severity.WARNING;
                warning("connection-budget", "connection budget on " + b.where() + " is " + b.percent()
                        + "% used (over 80%): " + b.arithmetic() + "; leave room for deploys (old and new"
                        + " instances run side by side) and admin sessions");
            }
            reports.add(new BudgetReport(b.where(), b.demand(), b.available(), b.percent(), b.arithmetic(),
                    severity));
        }
        return reports;
    }

    // ---- foreign keys ----

    /** The node whose catalog is searched: the primary when it answered, else the first node that did. */
    private @Nullable String catalogNode(List<NodeReport> nodes) {
        for (NodeReport n : nodes) {
            if (n.reachable() && n.observedRole() == Role.PRIMARY) {
                return n.name();
            }
        }
        return nodes.stream().filter(NodeReport::reachable).map(NodeReport::name).findFirst().orElse(null);
    }

    private List<ForeignKey> foreignKeys(String node) {
        List<ForeignKey> keys = new ArrayList<>();
        try (Statement s = connections.get(node).createStatement()) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(FOREIGN_KEYS)) {
                while (rs.next()) {
                    long rows = rs.getLong(5);
                    Long estimate = rs.wasNull() ? null : rows;
                    Array columns = rs.getArray(3);
                    keys.add(new ForeignKey(rs.getString(1), rs.getString(2),
                            List.of((String[]) columns.getArray()), rs.getString(4), estimate));
                }
            }
        } catch (SQLException e) {
            warning("foreign-keys", "could not read the foreign keys on node '" + node + "' ("
                    + Diagnostics.describe(e) + ")");
            return keys;
        }
        for (ForeignKey k : keys) {
            warning("foreign-keys", "foreign key " + k.constraint() + " on " + k.table() + " ("
                    + String.join(", ", k.columns()) + ") -> " + k.references() + " has no index starting with"
                    + " its columns (" + (k.estimatedRows() == null ? "row count unknown" : "about "
                    + k.estimatedRows() + " rows") + "): each delete or key update on " + k.references()
                    + " scans " + k.table() + ", and joins along the key cannot use an index. Fix: " + k.fix());
        }
        return keys;
    }

    // ---- sessions ----

    private List<Session> sessions(String node) {
        List<Session> sessions = new ArrayList<>();
        Connection c = connections.get(node);
        try (PreparedStatement s = c.prepareStatement(SESSIONS)) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setDouble(1, options.longRunning().toNanos() / 1e9);
            s.setDouble(2, options.idleInTransaction().toNanos() / 1e9);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String query = rs.getString(6);
                    sessions.add(new Session(node, rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getDouble(5), query == null ? "" : SqlShape.of(query, SHAPE_LENGTH)));
                }
            }
            if (!seesAllSessions(c)) {
                findings.add(new Finding(Severity.INFO, "sessions", "on node '" + node + "' the doctor sees only"
                        + " the sessions of its own role; grant pg_read_all_stats to " + config.credentials().user()
                        + " to check every session"));
            }
        } catch (SQLException e) {
            warning("sessions", "could not read the sessions on node '" + node + "' (" + Diagnostics.describe(e) + ")");
        }
        for (Session s : sessions) {
            boolean idle = s.state().startsWith("idle in transaction");
            warning("sessions", "node '" + node + "': session " + s.pid() + " (role " + s.user() + ", application '"
                    + s.application() + "') " + (idle ? "has been " + s.state() : "has been running a statement")
                    + " for " + format(s.seconds()) + " s (threshold " + Diagnostics.formatDuration(idle
                    ? options.idleInTransaction() : options.longRunning()) + ")" + (idle
                    ? ", holding its locks and its snapshot, which keeps vacuum from cleaning up" : "")
                    + ": " + s.query());
        }
        return sessions;
    }

    private static boolean seesAllSessions(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SEES_ALL_SESSIONS)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    // ---- top statements ----

    private NodeStatements topStatements(String node) {
        Connection c = connections.get(node);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PGSS_INSTALLED)) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return unavailable(node, "pg_stat_statements is not installed in this database; add"
                        + " pg_stat_statements to shared_preload_libraries (a restart) and run create extension"
                        + " pg_stat_statements");
            }
        } catch (SQLException e) {
            return unavailable(node, "could not check for pg_stat_statements (" + Diagnostics.describe(e) + ")");
        }
        List<TopStatement> top = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(TOP_STATEMENTS)) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setInt(1, options.top());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String query = rs.getString(1);
                    top.add(new TopStatement(query == null ? "" : SqlShape.of(query, SHAPE_LENGTH), rs.getLong(2),
                            rs.getDouble(3), rs.getDouble(4), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            String why = "55000".equals(SqlFailures.sqlState(e))
                    ? "the extension is installed but not loaded; add pg_stat_statements to"
                            + " shared_preload_libraries on this server and restart it"
                    : "reading it failed (" + Diagnostics.describe(e) + ")";
            return unavailable(node, "pg_stat_statements: " + why);
        }
        return new NodeStatements(node, true, null, top);
    }

    private NodeStatements unavailable(String node, String note) {
        findings.add(new Finding(Severity.INFO, "statements", "no top statements for node '" + node + "': " + note));
        return new NodeStatements(node, false, note, List.of());
    }

    // ---- plumbing ----

    private void critical(String check, String message) {
        findings.add(new Finding(Severity.CRITICAL, check, message));
    }

    private void warning(String check, String message) {
        findings.add(new Finding(Severity.WARNING, check, message));
    }

    static String format(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the report is written; a failing close changes nothing
            }
        }
        connections.clear();
    }
}
