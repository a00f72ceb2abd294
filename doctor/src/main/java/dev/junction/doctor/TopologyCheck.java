package dev.junction.doctor;

import dev.junction.doctor.DoctorReport.NodeReport;
import dev.junction.routing.Diagnostics;
import dev.junction.routing.Diagnostics.ServerLimits;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

/**
 * The doctor's topology and lag check, the first of its checks: it opens the one connection per node the others use
 * (outside any pool, application name {@code junction-doctor}, read-only), reports each node's role against the
 * configured one, and measures each replica's lag in bytes and, by waiting for it to replay the primary's position,
 * in seconds. Not thread-safe; one instance per run.
 */
final class TopologyCheck {
    private static final Driver DRIVER = new Driver();

    private static final String FACTS = Inspector.MARK + "select pg_is_in_recovery(),"
            + " current_setting('max_connections')::int,"
            + " current_setting('superuser_reserved_connections')::int,"
            + " coalesce(current_setting('reserved_connections', true), '0')::int,"
            + " current_setting('server_version'),"
            + " (case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_insert_lsn() end)::text,"
            + " (select count(*) from pg_stat_activity where backend_type = 'client backend')::int";

    private static final String REPLAY_LSN = Inspector.MARK + "select pg_last_wal_replay_lsn()::text";
    /** The longest the doctor waits for a lagging replica to replay the primary's position. */
    static final Duration MAX_LAG_WAIT = Duration.ofSeconds(10);
    static final Duration LAG_POLL = Duration.ofMillis(20);

    private final RoutingConfig config;
    private final List<Finding> findings;

    TopologyCheck(RoutingConfig config, List<Finding> findings) {
        this.config = config;
        this.findings = findings;
    }

    private record Facts(boolean inRecovery, ServerLimits limits, String version, @Nullable String lsn, int connections,
                         long readAtNanos) {
    }

    /**
     * Connects to every node (the primary first, so that replica lag is measured against a primary position read
     * before theirs), reads its facts, and reports each node with its lag; the open connections go into
     * {@code connections} and each node's server limits (null when it did not answer) into {@code serverFacts}, for
     * the checks after this one.
     */
    List<NodeReport> run(Map<String, Connection> connections, Map<String, @Nullable ServerLimits> serverFacts) {
        Map<String, @Nullable Facts> facts = new LinkedHashMap<>();
        // the primary first, so that replica lag is measured against a primary position read before theirs
        List<NodeConfig> ordered = new ArrayList<>(config.nodes(Role.PRIMARY));
        ordered.addAll(config.nodes(Role.REPLICA));
        Map<String, String> errors = new LinkedHashMap<>();
        for (NodeConfig node : ordered) {
            try {
                Connection c = connect(node);
                connections.put(node.name(), c);
                Facts f = facts(c);
                facts.put(node.name(), f);
                serverFacts.put(node.name(), f.limits());
            } catch (SQLException e) {
                facts.put(node.name(), null);
                serverFacts.put(node.name(), null);
                errors.put(node.name(), Diagnostics.describe(e));
                String address = Diagnostics.address(node.jdbcUrl());
                if (SqlFailures.isConnectionFailure(e)) {
                    critical("topology", "node '" + node.name() + "' (" + address + ") is not reachable ("
                            + Diagnostics.describe(e) + "); start it or fix its URL");
                } else {
                    critical("topology", "node '" + node.name() + "' (" + address + ") refused the doctor ("
                            + Diagnostics.describe(e) + "); check credentials.user and credentials.password (or"
                            + " JUNCTION_USER / JUNCTION_PASSWORD), the database name and pg_hba.conf");
                }
            }
        }
        String primaryLsn = null;
        long primaryReadAt = 0;
        for (NodeConfig p : config.nodes(Role.PRIMARY)) {
            Facts f = facts.get(p.name());
            if (f != null && !f.inRecovery() && f.lsn() != null) {
                primaryLsn = f.lsn();
                primaryReadAt = f.readAtNanos();
            }
        }
        List<NodeReport> reports = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            Facts f = facts.get(node.name());
            if (f == null) {
                reports.add(new NodeReport(node.name(), node.role(), null, false, errors.get(node.name()), null,
                        null, null, null, false, 0, 0));
                continue;
            }
            Role observed = f.inRecovery() ? Role.REPLICA : Role.PRIMARY;
            if (observed != node.role()) {
                critical("topology", "node '" + node.name() + "' is configured as the " + node.role().tag()
                        + " but is " + (observed == Role.PRIMARY ? "a primary (not in recovery)"
                        : "a standby (in recovery)") + "; fix its role or URL in the configuration");
            }
            Long lagBytes = null;
            Double lagSeconds = null;
            boolean lowerBound = false;
            if (node.role() == Role.REPLICA && observed == Role.REPLICA && primaryLsn != null && f.lsn() != null) {
                lagBytes = Diagnostics.walBytesBehind(primaryLsn, f.lsn());
                if (lagBytes == 0) {
                    lagSeconds = 0.0;
                } else {
                    Duration wait = min(config.maxReplicaLag(), MAX_LAG_WAIT);
                    Long caughtUpAt = awaitReplay(connections.get(node.name()), primaryLsn, primaryReadAt, wait);
                    lowerBound = caughtUpAt == null;
                    lagSeconds = ((caughtUpAt == null ? System.nanoTime() : caughtUpAt) - primaryReadAt) / 1e9;
                }
                checkLag(node.name(), lagBytes, lagSeconds, lowerBound);
            }
            reports.add(new NodeReport(node.name(), node.role(), observed, true, null, f.version(), f.lsn(),
                    lagBytes, lagSeconds, lowerBound, f.limits().maxConnections(), f.connections()));
        }
        return reports;
    }

    /**
     * Polls the replica until it has replayed {@code target}; returns when (System.nanoTime) or null when it had not
     * within {@code wait} of {@code since}. Measures lag as time, which the replay timestamp cannot while the primary
     * is idle.
     */
    private static @Nullable Long awaitReplay(Connection replica, String target, long since, Duration wait) {
        long deadline = since + wait.toNanos();
        try (Statement s = replica.createStatement()) {
            s.setQueryTimeout(Inspector.QUERY_TIMEOUT_SECONDS);
            while (true) {
                try (ResultSet rs = s.executeQuery(REPLAY_LSN)) {
                    rs.next();
                    String lsn = rs.getString(1);
                    if (lsn != null && Diagnostics.walBytesBehind(target, lsn) == 0) {
                        return System.nanoTime();
                    }
                }
                if (System.nanoTime() >= deadline) {
                    return null;
                }
                Thread.sleep(LAG_POLL.toMillis());
            }
        } catch (SQLException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void checkLag(String node, long bytes, double seconds, boolean lowerBound) {
        Duration max = config.maxReplicaLag();
        Long maxBytes = config.maxReplicaLagBytes();
        if (lowerBound || seconds * 1000 > max.toMillis()) {
            warning("lag", "replica '" + node + "' is " + (lowerBound ? "more than " : "about ")
                    + Inspector.format(seconds) + " s behind (" + bytes + " bytes), over replicaLag.max "
                    + Diagnostics.formatDuration(max) + ": it gets no reads until it catches up; look for long queries,"
                    + " replay conflicts or I/O pressure on it");
        } else if (maxBytes != null && bytes > maxBytes) {
            warning("lag", "replica '" + node + "' is " + bytes + " bytes behind, over replicaLag.maxBytes "
                    + maxBytes + ": it gets no reads until it catches up");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Facts facts(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(Inspector.QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(FACTS)) {
                rs.next();
                ServerLimits limits = new ServerLimits(rs.getInt(2), rs.getInt(3), rs.getInt(4));
                return new Facts(rs.getBoolean(1), limits, rs.getString(5), rs.getString(6), rs.getInt(7), System.nanoTime());
            }
        }
    }

    private Connection connect(NodeConfig node) throws SQLException {
        int timeout = ceilSeconds(config.monitorTimeout());
        Properties props = new Properties();
        props.setProperty("user", config.credentials().user());
        props.setProperty("password", config.credentials().password());
        props.setProperty("connectTimeout", Integer.toString(timeout));
        props.setProperty("loginTimeout", Integer.toString(timeout));
        props.setProperty("socketTimeout", Integer.toString(Inspector.QUERY_TIMEOUT_SECONDS + timeout));
        props.setProperty("ApplicationName", "junction-doctor");
        props.setProperty("logServerErrorDetail", "false");
        props.setProperty("readOnly", "true");
        Connection c = DRIVER.connect(node.jdbcUrl(), props);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + Diagnostics.redactedUrl(node.jdbcUrl()), "08001");
        }
        return c;
    }

    /** Whole seconds, rounded up and at least 1, as pgJDBC's second-based timeouts need. */
    private static int ceilSeconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
    }

    private void critical(String check, String message) {
        findings.add(new Finding(Severity.CRITICAL, check, message));
    }

    private void warning(String check, String message) {
        findings.add(new Finding(Severity.WARNING, check, message));
    }
}
