package dev.junction.routing.internal;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import dev.junction.spi.SqlFailures;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that need the servers, run once when the router is built: each node is reachable (or, with
 * {@code startup.skipDownNodes}, logged and left to the monitor), is in its configured role, and each server's
 * connection budget holds: {@code (sum of pool sizes + monitor connections) x appInstances <= max_connections -
 * superuser_reserved_connections - reserved_connections - reservedConnections}.
 */
public final class StartupChecks {
    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {
    }

    /** A node's facts, or null when it was down and skipping is allowed. */
    public record Result(List<ConfigProblem> problems, Map<String, Probe.@Nullable ServerFacts> facts) {
    }

    public static Result run(RoutingConfig config, Map<String, Probe> probes) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Probe.@Nullable ServerFacts> facts = new LinkedHashMap<>();
        List<NodeConfig> nodes = config.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig node = nodes.get(i);
            String path = "nodes[" + i + "]";
            JdbcUrls.Address address = JdbcUrls.parse(node.jdbcUrl());
            Probe probe = probes.get(node.name());
            try {
                Probe.ServerFacts f = probe.facts();
                facts.put(node.name(), f);
                checkRole(node, path, address, f, problems);
            } catch (SQLException e) {
                facts.put(node.name(), null);
                String why = Probe.describe(e);
                if (SqlFailures.isConnectionFailure(e)) {
                    if (config.skipDownNodesAtStart()) {
                        log.warn("node '{}' ({}) is not reachable at start-up ({}); starting without it, the monitor"
                                + " brings it in once it answers", node.name(), address, why);
                    } else {
                        problems.add(ConfigProblem.of(path + ".url", "node '" + node.name() + "' (" + address
                                + ") is not reachable at start-up (" + why + "); start it, fix the URL, or set"
                                + " startup.skipDownNodes: true to start without it and let the monitor bring it in"
                                + " later"));
                    }
                } else {
                    problems.add(ConfigProblem.of(path + ".url", "node '" + node.name() + "' (" + address
                            + ") refused the connection (" + why + "); check credentials.user and"
                            + " credentials.password (or JUNCTION_USER / JUNCTION_PASSWORD), the database name and"
                            + " pg_hba.conf"));
                }
            }
        }
        checkBudget(config, facts, problems);
        if (config.discoversRoles() && problems.isEmpty()) {
            List<String> primaries = new ArrayList<>();
            facts.forEach((name, f) -> {
                if (f != null && !f.inRecovery()) {
                    primaries.add(name);
                }
            });
            if (primaries.isEmpty()) {
                log.warn("no node is out of recovery at start-up (nodes {}); writes are refused until the monitor"
                        + " finds a primary", facts.keySet());
            }
        }
        return new Result(problems, facts);
    }

    private static void checkRole(NodeConfig node, String path, JdbcUrls.Address address, Probe.ServerFacts f,
                                  List<ConfigProblem> problems) {
        if (node.role() == null) {
            return; // discovered by the monitor
        }
        if (node.role() == Role.REPLICA && !f.inRecovery()) {
            problems.add(ConfigProblem.of(path + ".role", "node '" + node.name() + "' (" + address
                    + ") is configured as a replica but is not in recovery (pg_is_in_recovery() = false): it is a"
                    + " primary; point " + path + ".url at a standby, or give it role primary if it is the primary"));
        } else if (node.role() == Role.PRIMARY && f.inRecovery()) {
            problems.add(ConfigProblem.of(path + ".role", "node '" + node.name() + "' (" + address
                    + ") is configured as the primary but is in recovery (pg_is_in_recovery() = true): it is a"
                    + " standby and would refuse every write; point " + path + ".url at the primary, or give it role"
                    + " replica"));
        }
    }

    /**
     * One server's connection budget: what the pools of its nodes may open across all app instances, against what
     * the server allows for them.
     *
     * @param where      the node, or the nodes sharing one server, in words: {@code node 'primary'}
     * @param nodes      the indexes of those nodes in the configuration
     * @param demand     {@code (sum of pool sizes + one monitor connection per node) x appInstances}
     * @param available  {@code max_connections - superuser_reserved_connections - reserved_connections -
     *                   reservedConnections}
     * @param arithmetic the whole computation with its numbers, for messages
     */
    public record Budget(String where, List<Integer> nodes, long demand, long available, String arithmetic) {
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
     * The connection budget of every server with known facts; nodes with the same host and port share one budget.
     * Servers whose facts are all unknown (null: the nodes were down) are left out.
     */
    public static List<Budget> budgets(RoutingConfig config, Map<String, Probe.@Nullable ServerFacts> facts) {
        Map<String, List<Integer>> byServer = new LinkedHashMap<>();
        List<NodeConfig> nodes = config.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (config.poolerFor(nodes.get(i)) != Pooler.NONE) {
                // Behind a pooler the server sees the pooler's connections, not these pools: its own
                // max_client_conn and pool sizes are the budget, which this check cannot see.
                continue;
            }
            byServer.computeIfAbsent(JdbcUrls.parse(nodes.get(i).jdbcUrl()).server(), k -> new ArrayList<>()).add(i);
        }
        List<Budget> budgets = new ArrayList<>();
        for (List<Integer> group : byServer.values()) {
            Probe.ServerFacts f = null;
            for (int i : group) {
                f = f != null ? f : facts.get(nodes.get(i).name());
            }
            if (f == null) {
                continue;
            }
            NodeConfig first = nodes.get(group.get(0));
            List<Integer> sizes = group.stream().map(i -> config.poolFor(nodes.get(i)).maximumPoolSize()).toList();
            int pools = sizes.stream().mapToInt(Integer::intValue).sum();
            int monitors = group.size();
            long demand = (long) (pools + monitors) * config.appInstances();
            long available = (long) f.maxConnections() - f.superuserReserved() - f.reserved()
                    - config.reservedConnections();
            String poolTerm = sizes.stream().distinct().count() == 1
                    ? "pools " + sizes.size() + " x " + sizes.get(0) + " connections"
                    : "pools " + sizes.stream().map(String::valueOf).collect(Collectors.joining(" + "))
                            + " connections";
            String arithmetic = "(" + poolTerm + " + " + monitors + " monitor connection" + (monitors == 1 ? "" : "s")
                    + ") x " + config.appInstances() + " app instance" + (config.appInstances() == 1 ? "" : "s")
                    + " = " + demand + (demand > available ? " > " : " <= ") + "max_connections "
                    + f.maxConnections() + " - superuser_reserved_connections " + f.superuserReserved()
                    + (f.reserved() > 0 ? " - reserved_connections " + f.reserved() : "")
                    + " - reservedConnections " + config.reservedConnections() + " = " + available;
            String where = group.size() == 1 ? "node '" + first.name() + "'"
                    : "nodes " + group.stream().map(i -> "'" + nodes.get(i).name() + "'")
                            .collect(Collectors.joining(", ")) + " (one server)";
            budgets.add(new Budget(where, List.copyOf(group), demand, available, arithmetic));
        }
        return budgets;
    }

    private static void checkBudget(RoutingConfig config, Map<String, Probe.@Nullable ServerFacts> facts,
                                    List<ConfigProblem> problems) {
        for (Budget budget : budgets(config, facts)) {
            if (budget.exceeded()) {
                List<String> paths = new ArrayList<>();
                for (int i : budget.nodes()) {
                    paths.add("nodes[" + i + "]");
                }
                paths.add("appInstances");
                problems.add(new ConfigProblem(paths, "connection budget exceeded on " + budget.where() + ": "
                        + budget.arithmetic() + "; lower maximumPoolSize, appInstances or raise max_connections"));
            } else if (budget.nearlyExhausted()) {
                log.warn("connection budget on {} is over 80% used: {}", budget.where(), budget.arithmetic());
            }
        }
    }
}
