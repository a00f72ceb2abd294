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
import dev.junction.routing.PoolSettings;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SelectionStrategy;
import dev.junction.routing.SpillSettings;
import dev.junction.routing.SplitBrainPolicy;
import java.io.Reader;
import java.io.StringReader;
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
 * SnakeYAML's node tree, not plain maps, to keep the lines. The nodes and their pools are read by {@link YamlNodes};
 * {@link YamlKeys} lists the keys this class accepts. One instance per read; not thread-safe.
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
     * The keys the reader asked for while reading {@code yaml}, present in it or not, for {@link YamlKeys}; the
     * problems of the document (an empty one lacks credentials and nodes) do not matter there.
     */
    static Map<String, YamlKeyLog.Kind> keysAsked(String yaml) {
        YamlConfigReader reader = new YamlConfigReader("keys", Map.of());
        try {
            reader.read(new StringReader(yaml));
        } catch (ConfigurationException expected) {
            // only the keys asked for matter here
        }
        return reader.keyLog.asked();
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
                primaryPool = YamlNodes.pool(p, PoolSettings.defaults());
            }
            YamlSection r = pool.section("replica");
            if (r != null) {
                replicaPool = YamlNodes.pool(r, PoolSettings.defaults());
            }
            pool.finish();
        }
        b.primaryPool(primaryPool).replicaPool(replicaPool);

        readCredentials(root, b);
        new YamlNodes(env, problems).read(root, b, primaryPool, replicaPool);

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
}
