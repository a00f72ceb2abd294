package dev.junction.routing.internal;

import static dev.junction.routing.internal.YamlProblems.kind;
import static dev.junction.routing.internal.YamlProblems.line;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
import dev.junction.LintMode;
import dev.junction.Lints;
import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SelectionStrategy;
import dev.junction.routing.SpillSettings;
import dev.junction.routing.SplitBrainPolicy;
import dev.junction.spi.Role;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code junction.yaml} into a {@link RoutingConfig} through the configuration builders, so a value is checked
 * by the same setter whether it comes from Java or from the file; this class only adds where it was written
 * ({@link YamlSection}: file, line and key) and collects every problem before failing ({@link YamlProblems}). It reads
 * SnakeYAML's node tree, not plain maps, to keep the lines. One instance per read; not thread-safe.
 */
public final class YamlConfigReader {
    private final Map<String, String> env;
    private final EnvSubstitution substitution;
    private final YamlProblems problems;
    private final YamlKeyLog keyLog = new YamlKeyLog();

    private YamlConfigReader(String file, Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.substitution = new EnvSubstitution(env);
        this.problems = new YamlProblems(file);
    }

    /**
     * @param file   the name to show in messages
     * @param reader the YAML text
     * @param env    environment variables for {@code ${...}} and the JUNCTION_* overrides
     * @throws ConfigurationException listing every problem as {@code file:line: key: message}
     */
    public static RoutingConfig read(String file, Reader reader, Map<String, String> env) {
        return new YamlConfigReader(file, env).read(reader);
    }

    /**
     * Every key the reader accepts, as its path ({@code replicaLag.max}, {@code nodes[].pool.maximumPoolSize}: an
     * item of a list is {@code []}), in the order the reader reads them; sections and lists themselves are not
     * listed, only the keys that take a value. Taken from the reader, not from a list kept beside it: it reads a
     * document holding every section it asks for (found by reading, adding the sections asked for, and reading
     * again until no new one is asked for) and lists the keys it asked for there.
     */
    public static List<String> keys() {
        Map<String, Object> document = new LinkedHashMap<>();
        while (true) {
            YamlConfigReader reader = new YamlConfigReader("keys", Map.of());
            try {
                reader.read(new StringReader(new Yaml().dump(document)));
            } catch (ConfigurationException expected) {
                // an empty document lacks credentials and nodes; only the keys asked for matter here
            }
            boolean grown = false;
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, YamlKeyLog.Kind> e : reader.keyLog.asked().entrySet()) {
                if (e.getValue() == YamlKeyLog.Kind.VALUE) {
                    values.add(e.getKey());
                } else {
                    grown |= addContainer(document, e.getKey(), e.getValue());
                }
            }
            if (!grown) {
                return List.copyOf(values);
            }
        }
    }

    /** Adds an empty mapping (or a list of one) at {@code path}; false when it is there already. */
    @SuppressWarnings("unchecked")
    private static boolean addContainer(Map<String, Object> document, String path, YamlKeyLog.Kind kind) {
        Map<String, Object> at = document;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            Object next = at.get(part.endsWith("[]") ? part.substring(0, part.length() - 2) : part);
            if (next instanceof List<?> list) {
                next = list.get(0);
            }
            if (!(next instanceof Map<?, ?>)) {
                return false; // its parent is not in the document yet; added in a later round
            }
            at = (Map<String, Object>) next;
        }
        String last = parts[parts.length - 1];
        if (at.containsKey(last)) {
            return false;
        }
        at.put(last, kind == YamlKeyLog.Kind.LIST ? new ArrayList<>(List.of(new LinkedHashMap<>()))
                : new LinkedHashMap<>());
        return true;
    }

    private RoutingConfig read(Reader reader) {
        String file = problems.file();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigurationException(file + (m == null ? "" : ":" + line(m)) + ": not valid YAML: "
                    + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext() + ")")
                    + "; fix the syntax (indent with spaces, 'key: value')", e);
        } catch (YAMLException e) {
            throw new ConfigurationException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || YamlSection.isNull(root)) {
            // "---" or "~" alone is a document holding nothing, the same as an empty file
            throw new ConfigurationException(file + ":1: the file is empty; it needs at least 'credentials' and"
                    + " 'nodes' (see docs/configuration.md)");
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigurationException(file + ":" + line(root.getStartMark()) + ": expected keys such as"
                    + " 'nodes:' and 'credentials:' at the top level, but found a " + kind(root));
        }
        RoutingConfig config = readRoot(new YamlSection("", mapping, root.getStartMark(), problems, substitution,
                keyLog));
        if (config != null) {
            ConfigValidator.problems(config).forEach(problems::add);
        }
        problems.throwIfAny();
        if (config == null) {
            throw new IllegalStateException("no configuration and no problem recorded");
        }
        return config;
    }

    private @Nullable RoutingConfig readRoot(YamlSection root) {
        RoutingConfig.Builder b = RoutingConfig.builder();

        // pool defaults first: node overrides are applied on top of them
        PoolSettings primaryPool = PoolSettings.defaults();
        PoolSettings replicaPool = PoolSettings.defaults();
        YamlSection pool = root.section("pool");
        if (pool != null) {
            YamlSection p = pool.section("primary");
            if (p != null) {
                primaryPool = readPool(p, PoolSettings.defaults());
            }
            YamlSection r = pool.section("replica");
            if (r != null) {
                replicaPool = readPool(r, PoolSettings.defaults());
            }
            pool.finish();
        }
        b.primaryPool(primaryPool).replicaPool(replicaPool);

        readCredentials(root, b);
        readNodes(root, b, primaryPool, replicaPool);

        root.set("selection", v -> YamlValues.parseEnum(SelectionStrategy.class, v), b::selection);
        root.set("fallback", v -> YamlValues.parseEnum(FallbackPolicy.class, v), b::fallback);
        root.set("pooler", v -> YamlValues.parseEnum(Pooler.class, v), b::pooler);
        root.set("splitBrain", v -> YamlValues.parseEnum(SplitBrainPolicy.class, v), b::splitBrain);
        YamlSection lag = root.section("replicaLag");
        if (lag != null) {
            lag.set("max", Durations::parse, b::maxReplicaLag);
            lag.set("maxBytes", YamlValues::parseBytes, b::maxReplicaLagBytes);
            lag.set("hysteresis", YamlValues::parseFraction, b::lagHysteresis);
            lag.finish();
        }
        YamlSection slow = root.section("slowReplica");
        if (slow != null) {
            slow.set("factor", YamlValues::parseFactor, b::slowReplicaFactor);
            slow.set("window", Durations::parse, b::slowReplicaWindow);
            slow.finish();
        }
        YamlSection monitor = root.section("monitor");
        if (monitor != null) {
            monitor.set("interval", Durations::parse, b::monitorInterval);
            monitor.set("timeout", Durations::parse, b::monitorTimeout);
            monitor.finish();
        }
        root.set("appInstances", YamlValues::parseInt, b::appInstances);
        root.set("reservedConnections", YamlValues::parseInt, b::reservedConnections);
        YamlSection startup = root.section("startup");
        if (startup != null) {
            startup.set("skipDownNodes", YamlValues::parseBoolean, b::skipDownNodesAtStart);
            startup.finish();
        }
        YamlSection consistency = root.section("consistency");
        if (consistency != null) {
            ConsistencySettings.Builder c = ConsistencySettings.builder();
            consistency.set("mode", v -> YamlValues.parseEnum(ConsistencySettings.Mode.class, v), c::mode);
            consistency.set("maxWait", Durations::parse, c::maxWait);
            consistency.set("primaryWindow", Durations::parse, c::primaryWindow);
            consistency.set("invalidToken", v -> YamlValues.parseEnum(ConsistencySettings.InvalidTokenPolicy.class, v),
                    c::invalidToken);
            consistency.finish();
            b.consistency(c.build());
        }
        YamlSection resilience = root.section("resilience");
        if (resilience != null) {
            readResilience(resilience, b);
        }
        YamlSection database = root.section("database");
        if (database != null) {
            b.database(readDatabase(database));
        }
        root.finish();
        if (!problems.isEmpty()) {
            return null;
        }
        try {
            return b.build();
        } catch (ConfigurationException e) {
            problems.add(root.mark(), e.getMessage());
            return null;
        }
    }

    /** The {@code database:} section: the options of the Database, checked by {@link DatabaseSettings}' setters. */
    private DatabaseSettings readDatabase(YamlSection s) {
        DatabaseSettings.Builder d = DatabaseSettings.builder();
        s.set("transactionBudget", Durations::parse, d::transactionBudget);
        s.set("serverSideBudget", YamlValues::parseBoolean, d::serverSideBudget);
        s.set("parallelism", YamlValues::parseInt, d::parallelism);
        YamlSection slow = s.section("slowStatements");
        if (slow != null) {
            slow.set("threshold", Durations::parse, d::slowStatementThreshold);
            slow.set("bindValues", YamlValues::parseBoolean, d::slowStatementBindValues);
            slow.finish();
        }
        YamlSection lints = s.section("lints");
        if (lints != null) {
            Lints.Builder l = Lints.builder();
            lints.set("writeWithoutWrites", YamlConfigReader::lintMode, l::writeWithoutWrites);
            lints.set("transactionGap", YamlConfigReader::lintMode, l::transactionGap);
            lints.set("gapThreshold", Durations::parse, l::gapThreshold);
            lints.set("nPlusOne", YamlConfigReader::lintMode, l::nPlusOne);
            lints.set("nPlusOneThreshold", YamlValues::parseInt, l::nPlusOneThreshold);
            lints.set("lookupReadInWrite", YamlConfigReader::lintMode, l::lookupReadInWrite);
            lints.finish();
            d.lints(l.build());
        }
        s.finish();
        return d.build();
    }

    private static LintMode lintMode(String v) {
        return YamlValues.parseEnum(LintMode.class, v);
    }

    private void readResilience(YamlSection resilience, RoutingConfig.Builder b) {
        YamlSection cb = resilience.section("circuitBreaker");
        if (cb != null) {
            CircuitBreakerSettings.Builder c = CircuitBreakerSettings.builder();
            cb.set("failureRateThreshold", YamlValues::parsePercent, c::failureRateThreshold);
            cb.set("minimumCalls", YamlValues::parseInt, c::minimumCalls);
            cb.set("slidingWindowSize", YamlValues::parseInt, c::slidingWindowSize);
            cb.set("waitInOpenState", Durations::parse, c::waitInOpenState);
            cb.set("permittedCallsInHalfOpen", YamlValues::parseInt, c::permittedCallsInHalfOpen);
            cb.set("maxWaitInOpenState", Durations::parse, c::maxWaitInOpenState);
            cb.finish();
            b.circuitBreaker(c.build());
        }
        YamlSection bh = resilience.section("bulkhead");
        if (bh != null) {
            BulkheadSettings.Builder c = BulkheadSettings.builder();
            bh.set("maxWaiting", YamlValues::parseInt, c::maxWaiting);
            bh.set("adaptive", YamlValues::parseBoolean, c::adaptive);
            bh.finish();
            b.bulkhead(c.build());
        }
        YamlSection spill = resilience.section("spill");
        if (spill != null) {
            SpillSettings.Builder c = SpillSettings.builder();
            spill.set("enabled", YamlValues::parseBoolean, c::enabled);
            spill.set("primaryShare", YamlValues::parseFraction, c::primaryShare);
            spill.finish();
            b.spill(c.build());
        }
        resilience.finish();
    }

    private void readCredentials(YamlSection root, RoutingConfig.Builder b) {
        YamlSection creds = root.section("credentials");
        String user = env.get("JUNCTION_USER");
        String password = env.get("JUNCTION_PASSWORD");
        if (creds != null) {
            if (user == null) {
                user = creds.scalar("user");
            } else {
                creds.get("user");
            }
            if (password == null) {
                password = creds.scalar("password");
            } else {
                creds.get("password");
            }
            creds.finish();
        }
        Mark at = creds != null ? creds.mark() : root.mark();
        if (user == null || user.isBlank()) {
            problems.add(at, "credentials.user: missing; set credentials.user in the file or the JUNCTION_USER"
                    + " environment variable");
            return;
        }
        b.credentials(user, password == null ? "" : password);
    }

    private void readNodes(YamlSection root, RoutingConfig.Builder b, PoolSettings primaryPool,
                           PoolSettings replicaPool) {
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
                own = readPool(pool, role == Role.REPLICA ? replicaPool : primaryPool);
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

    private PoolSettings readPool(YamlSection s, PoolSettings base) {
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
