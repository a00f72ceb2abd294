package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import dev.junction.routing.internal.JdbcUrls;
import dev.junction.spi.Role;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One PostgreSQL server in the topology. Immutable and thread-safe, with value equality; create one with
 * {@link #primary}, {@link #replica} or {@link #discovered}, or with {@link #builder()} for a node with its own pool,
 * pooler or direct URL, and derive a changed copy with {@link #from(NodeConfig)}:
 *
 * <pre>{@code
 * NodeConfig replica = NodeConfig.builder().name("replica-1").jdbcUrl("jdbc:postgresql://db2:5432/app")
 *         .role(Role.REPLICA).pool(PoolSettings.builder().maximumPoolSize(20).build()).build();
 * }</pre>
 *
 * <p>There are no defaults: the name and the URL are mandatory, and {@link Builder#build()} refuses a builder without
 * them. The URL's form is checked when the router is built ({@link ClusterRouter#create}), together with the other
 * nodes, so that one error lists every problem; credentials belong in {@link Credentials}, never in the URL, and
 * {@link #toString()} prints the URL without its parameters or user part.
 *
 * <p>Roles are either fixed, one node with {@link Role#PRIMARY} and any number with {@link Role#REPLICA}, or
 * discovered: every node without a role ({@link #discovered}), and the monitor finds the primary among them with
 * {@code pg_is_in_recovery()}, following a failover made by the platform (Patroni, CloudNativePG, a managed
 * service) without a restart. A topology cannot mix the two.
 */
public final class NodeConfig {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final String name;
    private final String jdbcUrl;
    private final @Nullable Role role;
    private final @Nullable PoolSettings pool;
    private final @Nullable Pooler pooler;
    private final @Nullable String directUrl;
    private final int weight;

    private NodeConfig(Builder b, String name, String jdbcUrl) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.role = b.role;
        this.pool = b.pool;
        this.pooler = b.pooler;
        this.directUrl = b.directUrl;
        this.weight = b.weight;
    }

    /** A builder with nothing set: {@link Builder#name} and {@link Builder#jdbcUrl} are mandatory. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(NodeConfig existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.name = existing.name;
        b.jdbcUrl = existing.jdbcUrl;
        b.role = existing.role;
        b.pool = existing.pool;
        b.pooler = existing.pooler;
        b.directUrl = existing.directUrl;
        b.weight = existing.weight;
        return b;
    }

    // The three shorthands below stay beside the builder: nearly every topology is written with them, one line per
    // node, and they cannot be misused (name and URL are exactly the mandatory values).

    /**
     * A primary with the role's default pool settings.
     *
     * @throws ConfigurationException for a bad name or blank URL
     */
    public static NodeConfig primary(String name, String jdbcUrl) {
        return builder().name(name).jdbcUrl(jdbcUrl).role(Role.PRIMARY).build();
    }

    /**
     * A replica with the role's default pool settings.
     *
     * @throws ConfigurationException for a bad name or blank URL
     */
    public static NodeConfig replica(String name, String jdbcUrl) {
        return builder().name(name).jdbcUrl(jdbcUrl).role(Role.REPLICA).build();
    }

    /**
     * A node whose role the monitor discovers: it takes writes while it is the primary and reads while it is a
     * streaming replica. Either every node of a topology is discovered or none is.
     *
     * @throws ConfigurationException for a bad name or a blank URL
     */
    public static NodeConfig discovered(String name, String jdbcUrl) {
        return builder().name(name).jdbcUrl(jdbcUrl).build();
    }

    /**
     * Unique name used in pool names ({@code junction-<name>}), meter tags, logs and messages; letters, digits,
     * {@code -}, {@code _} and {@code .}.
     */
    public String name() {
        return name;
    }

    /** {@code jdbc:postgresql://host:port/database}, optionally with pgjdbc parameters. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The role this node is configured for, checked against {@code pg_is_in_recovery()} at start-up and by the
     * monitor; null when the monitor discovers it.
     */
    public @Nullable Role role() {
        return role;
    }

    /**
     * Pool settings for this node only, or null to use the role's defaults from {@link RoutingConfig} (a node without
     * a role uses the primary's, since it may become the primary).
     */
    public @Nullable PoolSettings pool() {
        return pool;
    }

    /** What sits in front of this node, or null to use {@link RoutingConfig#pooler()}. */
    public @Nullable Pooler pooler() {
        return pooler;
    }

    /**
     * The same server without the pooler in between, for the session-bound {@code LISTEN} connection of lookup
     * invalidation; null when {@link #jdbcUrl()} is direct, or when no such connection is needed.
     */
    public @Nullable String directUrl() {
        return directUrl;
    }

    /** True when the monitor discovers this node's role. */
    /**
     * This replica's share of the reads relative to the other replicas (default 1): with weights 3 and 1 the first
     * gets about three reads for each of the second's, whatever the selection strategy. For replicas on unequal
     * hardware. Ignored while the node serves as primary.
     */
    public int weight() {
        return weight;
    }

    public boolean roleDiscovered() {
        return role == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeConfig other && name.equals(other.name) && jdbcUrl.equals(other.jdbcUrl)
                && role == other.role && Objects.equals(pool, other.pool) && pooler == other.pooler
                && Objects.equals(directUrl, other.directUrl) && weight == other.weight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, jdbcUrl, role, pool, pooler, directUrl, weight);
    }

    @Override
    public String toString() {
        // URLs are redacted: their parameters or user part may carry a password
        return "NodeConfig[name=" + name + ", jdbcUrl=" + JdbcUrls.redacted(jdbcUrl) + ", role=" + role + ", pool="
                + pool + ", pooler=" + pooler + ", directUrl=" + (directUrl == null ? null
                : JdbcUrls.redacted(directUrl)) + ", weight=" + weight + "]";
    }

    /**
     * Options of {@link NodeConfig}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place each option is checked), {@link #build()} refuses a missing
     * name or URL and copies the values, so a builder can be reused.
     */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String jdbcUrl;
        private @Nullable Role role;
        private @Nullable PoolSettings pool;
        private @Nullable Pooler pooler;
        private @Nullable String directUrl;
        private int weight = 1;

        private Builder() {
        }

        /**
         * @throws ConfigurationException unless 1-63 letters, digits, '-', '_' or '.', starting with a letter or
         *                                digit
         */
        public Builder name(String value) {
            Objects.requireNonNull(value, "name");
            if (!NAME.matcher(value).matches()) {
                throw new ConfigurationException("name must be 1-63 letters, digits, '-', '_' or '.', starting with"
                        + " a letter or digit, but was '" + value + "'");
            }
            this.name = value;
            return this;
        }

        /** @throws ConfigurationException when blank; the form is checked with the other nodes */
        public Builder jdbcUrl(String value) {
            this.jdbcUrl = Checks.notBlank("jdbcUrl", value);
            return this;
        }

        /** A fixed role; without one (the default) the monitor discovers it. */
        public Builder role(Role value) {
            this.role = Objects.requireNonNull(value, "role");
            return this;
        }

        /** Pool settings for this node only (default: its role's, from {@link RoutingConfig}). */
        public Builder pool(PoolSettings settings) {
            this.pool = Objects.requireNonNull(settings, "pool");
            return this;
        }

        /** What sits in front of this node, overriding {@link RoutingConfig#pooler()}. */
        public Builder pooler(Pooler value) {
            this.pooler = Objects.requireNonNull(value, "pooler");
            return this;
        }

        /**
         * The URL of this node's server without the pooler, used for the {@code LISTEN} connection.
         *
         * @throws ConfigurationException when blank
         */
        public Builder directUrl(String url) {
            this.directUrl = Checks.notBlank("directUrl", url);
            return this;
        }

        /** @throws ConfigurationException when the name or the URL was not set */
        /**
         * This replica's share of the reads relative to the others (default 1).
         *
         * @throws ConfigurationException when {@code value < 1}
         */
        public Builder weight(int value) {
            this.weight = Checks.atLeast("weight", value, 1);
            return this;
        }

        public NodeConfig build() {
            if (name == null) {
                throw new ConfigurationException("name must be set: call name(...) with a unique name such as"
                        + " 'replica-1'");
            }
            if (jdbcUrl == null) {
                throw new ConfigurationException("jdbcUrl must be set: call jdbcUrl(...) with"
                        + " jdbc:postgresql://host:port/database");
            }
            return new NodeConfig(this, name, jdbcUrl);
        }
    }
}
