package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import dev.junction.spi.Role;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One PostgreSQL server in the topology. Immutable and thread-safe.
 *
 * <p>The URL is checked when the router is built ({@link RoutingRouter#create}), together with the other nodes, so
 * that one error lists every problem; credentials belong in {@link Credentials}, never in the URL.
 *
 * @param name    unique name used in pool names ({@code junction-<name>}), meter tags, logs and messages; letters,
 *                digits, {@code -}, {@code _} and {@code .}
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, optionally with pgjdbc parameters
 * @param role    the role this node is configured for; checked against {@code pg_is_in_recovery()} at start-up and
 *                by the monitor
 * @param pool    pool settings for this node only, or null to use the role's defaults from {@link RoutingConfig}
 */
public record NodeConfig(String name, String jdbcUrl, Role role, @Nullable PoolSettings pool) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public NodeConfig {
        checkName(name);
        Checks.notBlank("jdbcUrl", jdbcUrl);
        Objects.requireNonNull(role, "role");
    }

    /** A primary with the role's default pool settings. */
    public static NodeConfig primary(String name, String jdbcUrl) {
        return new NodeConfig(name, jdbcUrl, Role.PRIMARY, null);
    }

    /** A replica with the role's default pool settings. */
    public static NodeConfig replica(String name, String jdbcUrl) {
        return new NodeConfig(name, jdbcUrl, Role.REPLICA, null);
    }

    /** This node with its own pool settings. */
    public NodeConfig withPool(PoolSettings settings) {
        return new NodeConfig(name, jdbcUrl, role, Objects.requireNonNull(settings, "settings"));
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-63 letters, digits, '-', '_' or '.', starting with a"
                    + " letter or digit, but was '" + name + "'");
        }
    }
}
