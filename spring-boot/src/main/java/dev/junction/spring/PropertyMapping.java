package dev.junction.spring;

import dev.junction.ConfigurationException;
import dev.junction.DatabaseSettings;
import dev.junction.Junction;
import dev.junction.Lints;
import dev.junction.routing.BulkheadSettings;
import dev.junction.routing.CircuitBreakerSettings;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.Diagnostics;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.SpillSettings;
import dev.junction.spi.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@link JunctionProperties} into the library's {@link RoutingConfig}, whose {@link RoutingConfig#database()}
 * holds the options of the {@link Junction.Builder} (as {@code junction.yaml}'s {@code database:} section does).
 * Every value goes through the library setter that checks it (validation lives in one place, shared with
 * {@code junction.yaml}); a refusal is re-thrown as {@link InvalidJunctionPropertyException} naming the property as
 * written. Unset values are not passed on, so the library's defaults apply.
 */
final class PropertyMapping {
    static final String PREFIX = "junction.";
    /** A key path at the start of a routing problem, as the routing module writes it: {@code nodes[1].url}. */
    private static final Pattern PROBLEM = Pattern.compile(
            "(?m)^((?:invalid routing configuration: |  - ))((?:[a-zA-Z]+(?:\\[\\d+])?(?:\\.[a-zA-Z]+(?:\\[\\d+])?)*"
                    + "(?:, )?)+): ");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    /**
     * A builder's message starts with its Java field ("monitorTimeout must be >= 1s"); the property is already in
     * front, so it is dropped, as junction.yaml's reader drops it: a bad value reads the same in both.
     */
    private static final Pattern JAVA_FIELD = Pattern.compile("[A-Za-z]+ (must .*)", Pattern.DOTALL);
    /** A key named inside a routing message's text, as the hint to change it ("point nodes[1].url at ..."). */
    private static final Pattern KEY_IN_TEXT = Pattern.compile(
            "(?<![\\w.\\[])(nodes\\[\\d+](?:\\.[a-zA-Z]+)?|startup\\.skipDownNodes|credentials\\.(?:user|password)"
                    + "|maximumPoolSize|appInstances)(?![\\w\\[])");

    private PropertyMapping() {
    }

    static RoutingConfig routingConfig(JunctionProperties p) {
        RoutingConfig.Builder b = RoutingConfig.builder();
        var credentials = p.getCredentials();
        if (credentials.getUser() == null) {
            throw invalid(List.of(PREFIX + "credentials.user"), "must be set: the PostgreSQL role every pool and the"
                    + " monitor log in as (and junction.credentials.password, e.g. from an environment variable)",
                    new ConfigurationException("credentials must be set"));
        }
        at("credentials.user", () -> b.credentials(credentials.getUser(), credentials.getPassword()));
        PoolSettings primaryPool = pool("pool.primary.", p.getPool().getPrimary(), PoolSettings.builder());
        PoolSettings replicaPool = pool("pool.replica.", p.getPool().getReplica(), PoolSettings.builder());
        b.primaryPool(primaryPool).replicaPool(replicaPool);
        List<NodeConfig> nodes = new ArrayList<>();
        for (int i = 0; i < p.getNodes().size(); i++) {
            NodeProperties n = p.getNodes().get(i);
            nodes.add(node(i, n, n.getRole() == Role.REPLICA ? replicaPool : primaryPool));
        }
        b.nodes(nodes);
        set("selection", p.getSelection(), b::selection);
        set("fallback", p.getFallback(), b::fallback);
        set("pooler", p.getPooler(), b::pooler);
        set("split-brain", p.getSplitBrain(), b::splitBrain);
        set("app-instances", p.getAppInstances(), b::appInstances);
        set("reserved-connections", p.getReservedConnections(), b::reservedConnections);
        set("replica-lag.max", p.getReplicaLag().getMax(), b::maxReplicaLag);
        set("replica-lag.max-bytes", p.getReplicaLag().getMaxBytes(), v -> b.maxReplicaLagBytes(v.toBytes()));
        set("replica-lag.hysteresis", p.getReplicaLag().getHysteresis(), b::lagHysteresis);
        set("slow-replica.factor", p.getSlowReplica().getFactor(), b::slowReplicaFactor);
        set("slow-replica.window", p.getSlowReplica().getWindow(), b::slowReplicaWindow);
        set("monitor.interval", p.getMonitor().getInterval(), b::monitorInterval);
        set("monitor.timeout", p.getMonitor().getTimeout(), b::monitorTimeout);
        set("startup.skip-down-nodes", p.getStartup().getSkipDownNodes(), b::skipDownNodesAtStart);

        var cb = p.getResilience().getCircuitBreaker();
        CircuitBreakerSettings.Builder breaker = CircuitBreakerSettings.builder();
        String cbKey = "resilience.circuit-breaker.";
        set(cbKey + "failure-rate-threshold", cb.getFailureRateThreshold(), breaker::failureRateThreshold);
        set(cbKey + "minimum-calls", cb.getMinimumCalls(), breaker::minimumCalls);
        set(cbKey + "sliding-window-size", cb.getSlidingWindowSize(), breaker::slidingWindowSize);
        set(cbKey + "wait-in-open-state", cb.getWaitInOpenState(), breaker::waitInOpenState);
        set(cbKey + "permitted-calls-in-half-open", cb.getPermittedCallsInHalfOpen(),
                breaker::permittedCallsInHalfOpen);
        set(cbKey + "max-wait-in-open-state", cb.getMaxWaitInOpenState(), breaker::maxWaitInOpenState);
        at("resilience.circuit-breaker", () -> b.circuitBreaker(breaker.build()));

        BulkheadSettings.Builder bulkhead = BulkheadSettings.builder();
        set("resilience.bulkhead.max-waiting", p.getResilience().getBulkhead().getMaxWaiting(),
                bulkhead::maxWaiting);
        set("resilience.bulkhead.adaptive", p.getResilience().getBulkhead().getAdaptive(), bulkhead::adaptive);
        at("resilience.bulkhead", () -> b.bulkhead(bulkhead.build()));

        var sp = p.getResilience().getSpill();
        SpillSettings.Builder spill = SpillSettings.builder();
        set("resilience.spill.enabled", sp.getEnabled(), spill::enabled);
        set("resilience.spill.primary-share", sp.getPrimaryShare(), spill::primaryShare);
        at("resilience.spill", () -> b.spill(spill.build()));

        var c = p.getConsistency();
        ConsistencySettings.Builder consistency = ConsistencySettings.builder();
        set("consistency.mode", c.getMode(), consistency::mode);
        set("consistency.max-wait", c.getMaxWait(), consistency::maxWait);
        set("consistency.primary-window", c.getPrimaryWindow(), consistency::primaryWindow);
        set("consistency.invalid-token", c.getInvalidToken(), consistency::invalidToken);
        at("consistency", () -> b.consistency(consistency.build()));
        // One configuration for both, as junction.yaml's database: section is part of its RoutingConfig.
        b.database(databaseSettings(p));
        RoutingConfig config = b.build();
        try {
            // The checks across keys that junction.yaml's reader runs on the file (a URL's form, names, roles), here
            // too, so that a value refused in one is refused in the other, before any node is contacted.
            Diagnostics.validate(config);
        } catch (ConfigurationException e) {
            throw fromRouting(e);
        }
        return config;
    }

    private static NodeConfig node(int i, NodeProperties n, PoolSettings rolePool) {
        String key = "nodes[" + i + "].";
        NodeConfig.Builder b = NodeConfig.builder();
        if (n.getName() == null) {
            throw invalid(List.of(PREFIX + key + "name"), "must be set: a unique name such as 'replica-1'",
                    new ConfigurationException("name must be set"));
        }
        if (n.getUrl() == null) {
            throw invalid(List.of(PREFIX + key + "url"), "must be set: jdbc:postgresql://host:port/database",
                    new ConfigurationException("jdbcUrl must be set"));
        }
        set(key + "name", n.getName(), b::name);
        set(key + "url", n.getUrl(), b::jdbcUrl);
        set(key + "role", n.getRole(), b::role);
        set(key + "pooler", n.getPooler(), b::pooler);
        set(key + "direct-url", n.getDirectUrl(), b::directUrl);
        set(key + "weight", n.getWeight(), b::weight);
        if (!n.getPool().isEmpty()) {
            // As in junction.yaml: a node's own pool keys apply on top of its role's pool (a node without a role
            // takes the primary's, since it may become the primary).
            b.pool(pool(key + "pool.", n.getPool(), PoolSettings.from(rolePool)));
        }
        return at(key + "name", b::build);
    }

    static PoolSettings pool(String key, PoolProperties pool, PoolSettings.Builder b) {
        set(key + "maximum-pool-size", pool.getMaximumPoolSize(), b::maximumPoolSize);
        set(key + "minimum-idle", pool.getMinimumIdle(), b::minimumIdle);
        set(key + "connection-timeout", pool.getConnectionTimeout(), b::connectionTimeout);
        set(key + "idle-timeout", pool.getIdleTimeout(), b::idleTimeout);
        set(key + "max-lifetime", pool.getMaxLifetime(), b::maxLifetime);
        set(key + "connect-timeout", pool.getConnectTimeout(), b::connectTimeout);
        set(key + "socket-timeout", pool.getSocketTimeout(), b::socketTimeout);
        return at(key + "minimum-idle", b::build);
    }

    /**
     * The Database options {@code junction.database.*} describe, as {@code database:} in {@code junction.yaml}
     * gives them; unset options keep {@link DatabaseSettings#defaults()}.
     */
    static DatabaseSettings databaseSettings(JunctionProperties p) {
        var d = p.getDatabase();
        DatabaseSettings.Builder b = DatabaseSettings.builder();
        String key = "database.";
        set(key + "transaction-budget", d.getTransactionBudget(), b::transactionBudget);
        set(key + "server-side-budget", d.getServerSideBudget(), b::serverSideBudget);
        set(key + "parallelism", d.getParallelism(), b::parallelism);
        set(key + "slow-statements.threshold", d.getSlowStatements().getThreshold(), b::slowStatementThreshold);
        set(key + "slow-statements.bind-values", d.getSlowStatements().getBindValues(),
                b::slowStatementBindValues);
        var l = d.getLints();
        Lints.Builder lints = Lints.builder();
        String lk = key + "lints.";
        set(lk + "write-without-writes", l.getWriteWithoutWrites(), lints::writeWithoutWrites);
        set(lk + "transaction-gap", l.getTransactionGap(), lints::transactionGap);
        set(lk + "gap-threshold", l.getGapThreshold(), lints::gapThreshold);
        set(lk + "n-plus-one", l.getNPlusOne(), lints::nPlusOne);
        set(lk + "n-plus-one-threshold", l.getNPlusOneThreshold(), lints::nPlusOneThreshold);
        set(lk + "lookup-read-in-write", l.getLookupReadInWrite(), lints::lookupReadInWrite);
        at(key + "lints", () -> b.lints(lints.build()));
        return b.build();
    }

    /**
     * The routing module's message for a refused configuration (from {@code ClusterRouter.create}), with each key
     * path it names turned into the property ({@code nodes[1].url} becomes {@code junction.nodes[1].url}).
     */
    static InvalidJunctionPropertyException fromRouting(ConfigurationException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        List<String> properties = new ArrayList<>();
        Matcher m = PROBLEM.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> keys = new ArrayList<>();
            for (String path : m.group(2).split(", ")) {
                keys.add(property(path));
            }
            properties.addAll(keys);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + String.join(", ", keys) + ": "));
        }
        m.appendTail(out);
        String text = KEY_IN_TEXT.matcher(out.toString()).replaceAll(r -> Matcher.quoteReplacement(
                r.group(1).equals("maximumPoolSize") ? "maximum-pool-size" : property(r.group(1))));
        out = new StringBuilder(text);
        if (properties.isEmpty()) {
            properties.add(PREFIX + "nodes");
        }
        return invalid(properties, out.toString(), e);
    }

    /** {@code nodes[1].directUrl} as a property: {@code junction.nodes[1].direct-url}. */
    static String property(String yamlPath) {
        return PREFIX + CAMEL.matcher(yamlPath).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
    }

    private static <T> void set(String key, @Nullable T value, Consumer<T> setter) {
        if (value != null) {
            at(key, () -> setter.accept(value));
        }
    }

    private static void at(String key, Runnable action) {
        at(key, () -> {
            action.run();
            return null;
        });
    }

    private static <T> T at(String key, Supplier<T> action) {
        try {
            return action.get();
        } catch (ConfigurationException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            Matcher javaName = JAVA_FIELD.matcher(message);
            throw invalid(List.of(PREFIX + key), javaName.matches() ? javaName.group(1) : message, e);
        }
    }

    private static InvalidJunctionPropertyException invalid(List<String> properties, @Nullable String problem,
                                                            ConfigurationException cause) {
        return new InvalidJunctionPropertyException(properties, problem == null ? "invalid value" : problem, cause);
    }
}
