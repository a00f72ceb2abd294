package dev.junction.routing.internal;

import dev.junction.ConfigurationException;
import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SelectionStrategy;
import dev.junction.routing.SplitBrainPolicy;
import dev.junction.spi.Role;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code junction.yaml} from SnakeYAML's node tree (not plain maps) so that every error can name the file, the
 * line and the key. Collects every error before failing. One instance per read; not thread-safe.
 */
public final class YamlConfigReader {
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");
    private static final Pattern JAVA_FIELD = Pattern.compile("[A-Za-z]+ (must .*)", Pattern.DOTALL);

    private final String file;
    private final Map<String, String> env;
    private final EnvSubstitution substitution;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Mark> marks = new HashMap<>();

    private YamlConfigReader(String file, Map<String, String> env) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.substitution = new EnvSubstitution(env);
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

    private RoutingConfig read(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigurationException(file + (m == null ? "" : ":" + (m.getLine() + 1)) + ": not valid YAML: "
                    + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext() + ")")
                    + "; fix the syntax (indent with spaces, 'key: value')", e);
        } catch (YAMLException e) {
            throw new ConfigurationException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || Section.isNull(root)) {
            // "---" or "~" alone is a document holding nothing, the same as an empty file
            throw new ConfigurationException(file + ":1: the file is empty; it needs at least 'credentials' and"
                    + " 'nodes' (see docs/configuration.md)");
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigurationException(file + ":" + line(root.getStartMark()) + ": expected keys such as"
                    + " 'nodes:' and 'credentials:' at the top level, but found a " + kind(root));
        }
        RoutingConfig config = readRoot(new Section("", mapping, root.getStartMark()));
        if (config != null) {
            for (ConfigProblem p : ConfigValidator.problems(config)) {
                errors.add(locate(p.path()) + ": " + p);
            }
        }
        if (!errors.isEmpty() || config == null) {
            if (errors.size() == 1) {
                throw new ConfigurationException(errors.get(0));
            }
            throw new ConfigurationException(file + " has " + errors.size() + " problems:" + System.lineSeparator()
                    + "  " + String.join(System.lineSeparator() + "  ", errors));
        }
        return config;
    }

    private @Nullable RoutingConfig readRoot(Section root) {
        RoutingConfig.Builder b = RoutingConfig.builder();

        // pool defaults first: node overrides are applied on top of them
        PoolSettings primaryPool = PoolSettings.DEFAULTS;
        PoolSettings replicaPool = PoolSettings.DEFAULTS;
        Section pool = root.section("pool");
        if (pool != null) {
            Section p = pool.section("primary");
            if (p != null) {
                primaryPool = readPool(p, PoolSettings.DEFAULTS);
            }
            Section r = pool.section("replica");
            if (r != null) {
                replicaPool = readPool(r, PoolSettings.DEFAULTS);
            }
            pool.finish();
        }
        b.primaryPool(primaryPool).replicaPool(replicaPool);

        readCredentials(root, b);
        readNodes(root, b, primaryPool, replicaPool);

        set(root, "selection", v -> parseEnum(SelectionStrategy.class, v), b::selection);
        set(root, "fallback", v -> parseEnum(FallbackPolicy.class, v), b::fallback);
        set(root, "pooler", v -> parseEnum(Pooler.class, v), b::pooler);
        set(root, "splitBrain", v -> parseEnum(SplitBrainPolicy.class, v), b::splitBrain);
        Section lag = root.section("replicaLag");
        if (lag != null) {
            set(lag, "max", Durations::parse, b::maxReplicaLag);
            set(lag, "maxBytes", YamlConfigReader::parseBytes, b::maxReplicaLagBytes);
            set(lag, "hysteresis", YamlConfigReader::parseFraction, b::lagHysteresis);
            lag.finish();
        }
        Section monitor = root.section("monitor");
        if (monitor != null) {
            set(monitor, "interval", Durations::parse, b::monitorInterval);
            set(monitor, "timeout", Durations::parse, b::monitorTimeout);
            monitor.finish();
        }
        set(root, "appInstances", YamlConfigReader::parseInt, b::appInstances);
        set(root, "reservedConnections", YamlConfigReader::parseInt, b::reservedConnections);
        Section startup = root.section("startup");
        if (startup != null) {
            set(startup, "skipDownNodes", YamlConfigReader::parseBoolean, b::skipDownNodesAtStart);
            startup.finish();
        }
        Section consistency = root.section("consistency");
        if (consistency != null) {
            ConsistencySettings[] c = {ConsistencySettings.DEFAULTS};
            set(consistency, "mode", v -> parseEnum(ConsistencySettings.Mode.class, v), v -> c[0] = c[0].withMode(v));
            set(consistency, "maxWait", Durations::parse, v -> c[0] = c[0].withMaxWait(v));
            set(consistency, "primaryWindow", Durations::parse, v -> c[0] = c[0].withPrimaryWindow(v));
            consistency.finish();
            b.consistency(c[0]);
        }
        Section resilience = root.section("resilience");
        if (resilience != null) {
            Section cb = resilience.section("circuitBreaker");
            if (cb != null) {
                CircuitBreakerSettings.Builder c = CircuitBreakerSettings.builder();
                set(cb, "failureRateThreshold", YamlConfigReader::parsePercent, c::failureRateThreshold);
                set(cb, "minimumCalls", YamlConfigReader::parseInt, c::minimumCalls);
                set(cb, "slidingWindowSize", YamlConfigReader::parseInt, c::slidingWindowSize);
                set(cb, "waitInOpenState", Durations::parse, c::waitInOpenState);
                set(cb, "permittedCallsInHalfOpen", YamlConfigReader::parseInt, c::permittedCallsInHalfOpen);
                cb.finish();
                b.circuitBreaker(c.build());
            }
            Section bh = resilience.section("bulkhead");
            if (bh != null) {
                set(bh, "maxWaiting", YamlConfigReader::parseInt, v -> b.bulkhead(BulkheadSettings.maxWaiting(v)));
                bh.finish();
            }
            resilience.finish();
        }
        root.finish();
        if (!errors.isEmpty()) {
            return null;
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            errors.add(file + ":" + line(root.mark) + ": " + e.getMessage());
            return null;
        }
    }

    private void readCredentials(Section root, RoutingConfig.Builder b) {
        Section creds = root.section("credentials");
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
        Mark at = creds != null ? creds.mark : root.mark;
        if (user == null || user.isBlank()) {
            errors.add(file + ":" + line(at) + ": credentials.user: missing; set credentials.user in the file or the"
                    + " JUNCTION_USER environment variable");
            return;
        }
        b.credentials(user, password == null ? "" : password);
    }

    private void readNodes(Section root, RoutingConfig.Builder b, PoolSettings primaryPool, PoolSettings replicaPool) {
        List<Node> items = root.sequence("nodes");
        if (items == null) {
            if (!root.has("nodes")) {
                errors.add(file + ":" + line(root.mark) + ": nodes: missing; list the primary and the replicas under"
                        + " 'nodes:' with name, url and role (or every node without a role, to discover the primary)");
            }
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = "nodes[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof MappingNode m)) {
                errors.add(file + ":" + line(item.getStartMark()) + ": " + path + ": expected name, url and"
                        + " (optionally) role, but found a " + kind(item));
                continue;
            }
            Section node = new Section(path, m, item.getStartMark());
            String name = node.require("name");
            String url = node.require("url");
            // No role: the monitor discovers it; ConfigValidator refuses a mix of nodes with and without one.
            boolean roleGiven = node.has("role");
            Role role = roleGiven ? node.parse("role", v -> parseEnum(Role.class, v)) : null;
            Pooler pooler = node.has("pooler") ? node.parse("pooler", v -> parseEnum(Pooler.class, v)) : null;
            String directUrl = node.scalar("directUrl");
            if (name != null) {
                String override = env.get("JUNCTION_NODE_" + name.toUpperCase(Locale.ROOT)
                        .replaceAll("[^A-Z0-9]", "_") + "_URL");
                if (override != null) {
                    url = override;
                }
            }
            PoolSettings own = null;
            Section pool = node.section("pool");
            if (pool != null && (role != null || !roleGiven)) {
                own = readPool(pool, role == Role.REPLICA ? replicaPool : primaryPool);
            }
            node.finish();
            if (name == null || url == null || (roleGiven && role == null)) {
                continue;
            }
            try {
                b.node(new NodeConfig(name, url, role, own, pooler, directUrl));
            } catch (IllegalArgumentException e) {
                error(node, e.getMessage().startsWith("jdbcUrl ") ? "url" : "name", e.getMessage());
            }
        }
    }

    private PoolSettings readPool(Section s, PoolSettings base) {
        PoolSettings.Builder p = PoolSettings.Builder.from(base);
        set(s, "maximumPoolSize", YamlConfigReader::parseInt, p::maximumPoolSize);
        set(s, "minimumIdle", YamlConfigReader::parseInt, p::minimumIdle);
        set(s, "connectionTimeout", Durations::parse, p::connectionTimeout);
        set(s, "idleTimeout", Durations::parse, p::idleTimeout);
        set(s, "maxLifetime", Durations::parse, p::maxLifetime);
        set(s, "connectTimeout", Durations::parse, p::connectTimeout);
        set(s, "socketTimeout", Durations::parse, p::socketTimeout);
        s.finish();
        try {
            return p.build();
        } catch (IllegalArgumentException e) {
            error(s, "minimumIdle", e.getMessage());
            return base;
        }
    }

    private <T> void set(Section s, String key, Function<String, T> parse, Consumer<T> setter) {
        if (!s.has(key)) {
            s.known.add(key);
            return;
        }
        T value = s.parse(key, parse);
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            error(s, key, e.getMessage());
        }
    }

    private void error(Section s, String key, String message) {
        NodeTuple t = s.entries.get(key);
        Mark m = t != null ? t.getValueNode().getStartMark() : s.mark;
        // The builders name their Java field ("monitorTimeout must be >= 1s"); the file's key is already in front.
        Matcher javaName = JAVA_FIELD.matcher(message);
        String text = javaName.matches() ? javaName.group(1) : message;
        errors.add(file + ":" + line(m) + ": " + s.child(key) + ": " + text);
    }

    private String locate(List<String> paths) {
        for (String p : paths) {
            for (String candidate = p; ; ) {
                Mark m = marks.get(candidate);
                if (m != null) {
                    return file + ":" + line(m);
                }
                int dot = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
                if (dot <= 0) {
                    break;
                }
                candidate = candidate.substring(0, dot);
            }
        }
        return file;
    }

    private static int line(Mark m) {
        return m.getLine() + 1;
    }

    private static String kind(Node n) {
        return switch (n.getNodeId()) {
            case scalar -> "single value";
            case sequence -> "list";
            case mapping -> "mapping";
            default -> "reference";
        };
    }

    // --- value parsers; each throws IllegalArgumentException with the quoted value and the accepted forms ---

    static int parseInt(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }

    static boolean parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
        };
    }

    static double parseFraction(String v) {
        String t = v.trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                    : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a fraction; write e.g. 0.8 or 80%");
        }
    }

    static float parsePercent(String v) {
        String t = v.trim();
        try {
            return Float.parseFloat(t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a percentage; write e.g. 50 or 50%");
        }
    }

    static long parseBytes(String v) {
        Matcher m = BYTES.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a size; write e.g. 1048576, 512kB, 16MB or 1GB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        return n << shift;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
        String normal = v.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normal)) {
                return e;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        throw new IllegalArgumentException("'" + v + "' is not one of " + String.join(", ", allowed));
    }

    /** One mapping in the file, with the keys the reader asked for, to reject the rest. */
    private final class Section {
        final String path;
        final Mark mark;
        final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        final Set<String> known = new LinkedHashSet<>();

        Section(String path, MappingNode node, Mark mark) {
            this.path = path;
            this.mark = mark;
            for (NodeTuple t : node.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    errors.add(file + ":" + line(t.getKeyNode().getStartMark()) + ": " + (path.isEmpty() ? "(top)"
                            : path) + ": keys must be plain words, but found a " + kind(t.getKeyNode()));
                    continue;
                }
                NodeTuple previous = entries.putIfAbsent(key.getValue(), t);
                if (previous != null) {
                    errors.add(file + ":" + line(key.getStartMark()) + ": " + child(key.getValue())
                            + ": duplicate key (first set on line " + line(previous.getKeyNode().getStartMark())
                            + "); keep one");
                }
            }
            if (!path.isEmpty()) {
                marks.putIfAbsent(path, mark);
            }
        }

        String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            known.add(key);
            NodeTuple t = entries.get(key);
            return t != null && !isNull(t.getValueNode());
        }

        @Nullable Node get(String key) {
            known.add(key);
            NodeTuple t = entries.get(key);
            if (t == null || isNull(t.getValueNode())) {
                return null;
            }
            marks.put(child(key), t.getValueNode().getStartMark());
            return t.getValueNode();
        }

        @Nullable String scalar(String key) {
            Node n = get(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof ScalarNode s)) {
                errors.add(file + ":" + line(n.getStartMark()) + ": " + child(key) + ": expected a single value,"
                        + " but found a " + kind(n));
                return null;
            }
            try {
                return substitution.apply(s.getValue());
            } catch (IllegalArgumentException e) {
                errors.add(file + ":" + line(n.getStartMark()) + ": " + child(key) + ": " + e.getMessage());
                return null;
            }
        }

        @Nullable String require(String key) {
            String v = scalar(key);
            if (v == null && !has(key)) {
                errors.add(file + ":" + line(mark) + ": " + child(key) + ": missing");
            }
            return v;
        }

        <T> @Nullable T parse(String key, Function<String, T> parser) {
            String v = scalar(key);
            if (v == null) {
                return null;
            }
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                error(this, key, e.getMessage());
                return null;
            }
        }

        @Nullable Section section(String key) {
            Node n = get(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof MappingNode m)) {
                errors.add(file + ":" + line(n.getStartMark()) + ": " + child(key) + ": expected nested keys, but"
                        + " found a " + kind(n));
                return null;
            }
            return new Section(child(key), m, entries.get(key).getKeyNode().getStartMark());
        }

        @Nullable List<Node> sequence(String key) {
            Node n = get(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof SequenceNode s)) {
                errors.add(file + ":" + line(n.getStartMark()) + ": " + child(key) + ": expected a list ('- ...'),"
                        + " but found a " + kind(n));
                return null;
            }
            marks.put(child(key), entries.get(key).getKeyNode().getStartMark());
            return s.getValue();
        }

        void finish() {
            for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
                if (known.contains(e.getKey())) {
                    continue;
                }
                String suggestion = Suggestions.closest(e.getKey(), known);
                errors.add(file + ":" + line(e.getValue().getKeyNode().getStartMark()) + ": " + child(e.getKey())
                        + ": unknown key" + (suggestion != null ? "; did you mean '" + suggestion + "'?"
                        : "; known keys here: " + String.join(", ", known)));
            }
        }

        private static boolean isNull(Node n) {
            return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
        }
    }
}
