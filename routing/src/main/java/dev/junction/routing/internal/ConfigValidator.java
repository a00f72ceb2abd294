package dev.junction.routing.internal;

import dev.junction.ConfigurationException;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks across fields that need no server: URLs, duplicates, exactly one primary, fallback without replicas. */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    /** Every problem found, in configuration order; empty when the configuration is consistent. */
    public static List<ConfigProblem> problems(RoutingConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<NodeConfig> nodes = config.nodes();
        if (nodes.isEmpty()) {
            problems.add(ConfigProblem.of("nodes", "no nodes configured; add one node with role primary and any"
                    + " number of replicas"));
            return problems;
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        Map<JdbcUrls.Address, Integer> byAddress = new LinkedHashMap<>();
        List<Integer> primaries = new ArrayList<>();
        List<Integer> withoutRole = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig node = nodes.get(i);
            Integer sameName = byName.putIfAbsent(node.name(), i);
            if (sameName != null) {
                problems.add(new ConfigProblem(List.of("nodes[" + i + "].name", "nodes[" + sameName + "].name"),
                        "node '" + node.name() + "' is listed twice (nodes[" + sameName + "] and nodes[" + i
                                + "]); give every node a unique name or remove the duplicate"));
            }
            try {
                JdbcUrls.Address address = JdbcUrls.parse(node.jdbcUrl());
                Integer sameAddress = byAddress.putIfAbsent(address, i);
                if (sameAddress != null) {
                    problems.add(new ConfigProblem(List.of("nodes[" + i + "].url", "nodes[" + sameAddress + "].url"),
                            "nodes '" + nodes.get(sameAddress).name() + "' and '" + node.name()
                                    + "' both point at " + address + "; the same server is listed twice (remove"
                                    + " the duplicate or fix its host/port)"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(ConfigProblem.of("nodes[" + i + "].url", e.getMessage()));
            }
            if (node.role() == Role.PRIMARY) {
                primaries.add(i);
            } else if (node.role() == null) {
                withoutRole.add(i);
            }
            if (node.directUrl() != null) {
                try {
                    JdbcUrls.parse(node.directUrl());
                } catch (IllegalArgumentException e) {
                    problems.add(ConfigProblem.of("nodes[" + i + "].directUrl", e.getMessage()));
                }
            }
        }
        boolean discovered = withoutRole.size() == nodes.size();
        if (!withoutRole.isEmpty() && !discovered) {
            List<String> paths = withoutRole.stream().map(i -> "nodes[" + i + "].role").toList();
            List<String> names = withoutRole.stream().map(i -> "'" + nodes.get(i).name() + "'").toList();
            problems.add(new ConfigProblem(paths, "node" + (names.size() == 1 ? " " : "s ") + String.join(", ", names)
                    + (names.size() == 1 ? " has" : " have") + " no role while others have one; give every node a"
                    + " role (fixed roles), or none to let the monitor discover the primary"));
        } else if (discovered) {
            if (config.fallback() == FallbackPolicy.FAIL && nodes.size() < 2) {
                problems.add(ConfigProblem.of("fallback", "fallback FAIL with a single node would fail every read"
                        + " (it is the primary, no replica is left); add a node or set 'fallback: primary'"));
            }
            return problems;
        }
        if (primaries.isEmpty()) {
            problems.add(ConfigProblem.of("nodes", "no node has role primary (nodes: " + String.join(", ",
                    byName.keySet()) + "); mark exactly one node 'role: primary'"));
        } else if (primaries.size() > 1) {
            List<String> paths = primaries.stream().map(i -> "nodes[" + i + "].role").toList();
            List<String> names = primaries.stream().map(i -> "'" + nodes.get(i).name() + "'").toList();
            problems.add(new ConfigProblem(paths, "nodes " + String.join(" and ", names) + " all have role primary;"
                    + " exactly one node may be the primary: mark the others 'role: replica'"));
        }
        if (config.fallback() == FallbackPolicy.FAIL && config.nodes(Role.REPLICA).isEmpty()) {
            problems.add(ConfigProblem.of("fallback", "fallback FAIL without any replica would fail every read; add"
                    + " a replica or set 'fallback: primary'"));
        }
        return problems;
    }

    /**
     * @throws ConfigurationException listing every problem
     */
    public static void check(RoutingConfig config) {
        throwIfAny(problems(config));
    }

    public static void throwIfAny(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        if (problems.size() == 1) {
            throw new ConfigurationException("invalid routing configuration: " + problems.get(0));
        }
        StringBuilder sb = new StringBuilder("invalid routing configuration (").append(problems.size())
                .append(" problems):");
        problems.forEach(p -> sb.append(System.lineSeparator()).append("  - ").append(p));
        throw new ConfigurationException(sb.toString());
    }
}
