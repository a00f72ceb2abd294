package dev.junction.routing.internal;

import static dev.junction.routing.internal.YamlProblems.kind;

import dev.junction.ConfigurationException;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code nodes:} list of {@code junction.yaml} and the {@code pool:} settings a node or a role's default holds:
 * each node read into a {@link NodeConfig} through its builder, its pool on top of its role's defaults, and its URL
 * replaced by a {@code JUNCTION_NODE_<NAME>_URL} environment variable when one is set. Problems go to the read's
 * {@link YamlProblems}, one per node at most. One instance per read; not thread-safe.
 */
final class YamlNodes {
    private final Map<String, String> env;
    private final YamlProblems problems;

    YamlNodes(Map<String, String> env, YamlProblems problems) {
        this.env = env;
        this.problems = problems;
    }

    /** Reads every node into {@code b}; a node's own {@code pool:} starts from its role's defaults. */
    void read(YamlSection root, RoutingConfig.Builder b, PoolSettings primaryPool, PoolSettings replicaPool) {
        List<Node> items = root.sequence("nodes");
        if (items == null) {
            if (!root.has("nodes")) {
                problems.add(root.mark(), "nodes: missing; list the primary and the replicas under 'nodes:' with"
                        + " name, url and role (or every node without a role, to discover the primary)");
            }
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = "nodes[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof MappingNode m)) {
                problems.add(item.getStartMark(), path + ": expected name, url and (optionally) role, but found a "
                        + kind(item));
                continue;
            }
            YamlSection node = root.item(path, m);
            String name = node.require("name");
            String url = node.require("url");
            // No role: the monitor discovers it; ConfigValidator refuses a mix of nodes with and without one.
            boolean roleGiven = node.has("role");
            Role role = roleGiven ? node.parse("role", v -> YamlValues.parseEnum(Role.class, v)) : null;
            Pooler pooler = node.has("pooler") ? node.parse("pooler", v -> YamlValues.parseEnum(Pooler.class, v))
                    : null;
            String directUrl = node.scalar("directUrl");
            Integer weight = node.has("weight") ? node.parse("weight", YamlValues::parseInt) : null;
            if (name != null) {
                String override = env.get("JUNCTION_NODE_" + name.toUpperCase(Locale.ROOT)
                        .replaceAll("[^A-Z0-9]", "_") + "_URL");
                if (override != null) {
                    url = override;
                }
            }
            PoolSettings own = null;
            YamlSection pool = node.section("pool");
            if (pool != null && (role != null || !roleGiven)) {
                own = pool(pool, role == Role.REPLICA ? replicaPool : primaryPool);
            }
            node.finish();
            if (name == null || url == null || (roleGiven && role == null)) {
                continue;
            }
            NodeConfig.Builder n = NodeConfig.builder();
            String jdbcUrl = url;
            // one problem per node, as the setters run in order: a bad name hides a bad URL
            if (!node.apply("name", () -> n.name(name)) || !node.apply("url", () -> n.jdbcUrl(jdbcUrl))
                    || (directUrl != null && !node.apply("directUrl", () -> n.directUrl(directUrl)))
                    || (weight != null && !node.apply("weight", () -> n.weight(weight)))) {
                continue;
            }
            if (role != null) {
                n.role(role);
            }
            if (own != null) {
                n.pool(own);
            }
            if (pooler != null) {
                n.pooler(pooler);
            }
            b.node(n.build());
        }
    }

    /** A {@code pool:} section read on top of {@code base}; on a problem, {@code base}, with the problem noted. */
    static PoolSettings pool(YamlSection s, PoolSettings base) {
        PoolSettings.Builder p = PoolSettings.from(base);
        s.set("maximumPoolSize", YamlValues::parseInt, p::maximumPoolSize);
        s.set("minimumIdle", YamlValues::parseInt, p::minimumIdle);
        s.set("connectionTimeout", Durations::parse, p::connectionTimeout);
        s.set("idleTimeout", Durations::parse, p::idleTimeout);
        s.set("maxLifetime", Durations::parse, p::maxLifetime);
        s.set("connectTimeout", Durations::parse, p::connectTimeout);
        s.set("socketTimeout", Durations::parse, p::socketTimeout);
        s.finish();
        try {
            return p.build();
        } catch (ConfigurationException e) {
            // the one rule build() checks across options is minimumIdle <= maximumPoolSize
            s.refuse("minimumIdle", e.getMessage());
            return base;
        }
    }
}
