package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.spi.Role;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One PostgreSQL server in the topology. Immutable and thread-safe.
 *
 * <p>The URL is checked when the router is built ({@link ClusterRouter#create}), together with the other nodes, so
 * that one error lists every problem; credentials belong in {@link Credentials}, never in the URL.
 *
 * <p>Roles are either fixed, one node with {@link Role#PRIMARY} and any number with {@link Role#REPLICA}, or
 * discovered: every node without a role ({@link #discovered}), and the monitor finds the primary among them with
 * {@code pg_is_in_recovery()}, following a failover made by the platform (Patroni, CloudNativePG, a managed
 * service) without a restart. A topology cannot mix the two.
 *
 * @param name      unique name used in pool names ({@code junction-<name>}), meter tags, logs and messages; letters,
 *                  digits, {@code -}, {@code _} and {@code .}
 * @param jdbcUrl   {@code jdbc:postgresql://host:port/database}, optionally with pgjdbc parameters
 * @param role      the role this node is configured for, checked against {@code pg_is_in_recovery()} at start-up and
 *                  by the monitor; null when the monitor discovers it
 * @param pool      pool settings for this node only, or null to use the role's defaults from {@link RoutingConfig}
 *                  (a node without a role uses the primary's, since it may become the primary)
 * @param pooler    what sits in front of this node, or null to use {@link RoutingConfig#pooler()}
 * @param directUrl the same server without the pooler in between, for the session-bound {@code LISTEN} connection
 *                  of lookup invalidation; null when {@code jdbcUrl} is direct, or when no such connection is needed
 */
public record NodeConfig(String name, String jdbcUrl, @Nullable Role role, @Nullable PoolSettings pool,
                         @Nullable Pooler pooler, @Nullable String directUrl) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public NodeConfig {
        checkName(name);
        Checks.notBlank("jdbcUrl", jdbcUrl);
        if (directUrl != null) {
            Checks.notBlank("directUrl", directUrl);
        }
    }

    /** A node with fixed role (or none, when {@code role} is null), no pooler setting of its own, no direct URL. */
    public NodeConfig(String name, String jdbcUrl, @Nullable Role role, @Nullable PoolSettings pool) {
        this(name, jdbcUrl, role, pool, null, null);
    }

    /** A primary with the role's default pool settings. */
    public static NodeConfig primary(String name, String jdbcUrl) {
        return new NodeConfig(name, jdbcUrl, Role.PRIMARY, null);
    }

    /** A replica with the role's default pool settings. */
    public static NodeConfig replica(String name, String jdbcUrl) {
        return new NodeConfig(name, jdbcUrl, Role.REPLICA, null);
    }

    /**
     * A node whose role the monitor discovers: it takes writes while it is the primary and reads while it is a
     * streaming replica. Either every node of a topology is discovered or none is.
     */
    public static NodeConfig discovered(String name, String jdbcUrl) {
        return new NodeConfig(name, jdbcUrl, null, null);
    }

    /** True when the monitor discovers this node's role. */
    public boolean roleDiscovered() {
        return role == null;
    }

    /** This node with its own pool settings. */
    public NodeConfig withPool(PoolSettings settings) {
        return new NodeConfig(name, jdbcUrl, role, Objects.requireNonNull(settings, "settings"), pooler, directUrl);
    }

    /** This node with its own pooler setting, overriding {@link RoutingConfig#pooler()}. */
    public NodeConfig withPooler(Pooler value) {
        return new NodeConfig(name, jdbcUrl, role, pool, Objects.requireNonNull(value, "pooler"), directUrl);
    }

    /**
     * This node with the URL of its server without the pooler, used for the {@code LISTEN} connection.
     *
     * @throws IllegalArgumentException when blank
     */
    public NodeConfig withDirectUrl(String url) {
        return new NodeConfig(name, jdbcUrl, role, pool, pooler, Checks.notBlank("directUrl", url));
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-63 letters, digits, '-', '_' or '.', starting with a"
                    + " letter or digit, but was '" + name + "'");
        }
    }
}
