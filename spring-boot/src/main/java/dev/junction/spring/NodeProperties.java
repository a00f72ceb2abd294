package dev.junction.spring;

import dev.junction.routing.Pooler;
import dev.junction.spi.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code junction.nodes[i].*}: one node, as an item of {@code nodes:} in {@code junction.yaml}. Mutable JavaBean for
 * Spring's binder; not thread-safe, read once at start-up.
 */
public class NodeProperties {
    /** Unique name: 1-63 letters, digits, '-', '_' or '.'; names the pool, meters and health details. */
    private @Nullable String name;
    /** jdbc:postgresql://host[:port]/database[?pgjdbc-parameters], without user or password. */
    private @Nullable String url;
    /** primary or replica, on every node or on none (then the monitor discovers the primary). */
    private @Nullable Role role;
    /** Pool settings for this node only, on top of its role's. */
    @NestedConfigurationProperty
    private final PoolProperties pool = new PoolProperties();
    /** What sits in front of this node (default: junction.pooler). */
    private @Nullable Pooler pooler;
    /** The node's server without the pooler, for the LISTEN connection of lookup invalidation. */
    private @Nullable String directUrl;
    /**
     * A replica's share of the reads relative to the other replicas, under every selection strategy; at
     * least 1 (default 1).
     */
    private @Nullable Integer weight;

    public @Nullable String getName() {
        return name;
    }

    public void setName(@Nullable String name) {
        this.name = name;
    }

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable Role getRole() {
        return role;
    }

    public void setRole(@Nullable Role role) {
        this.role = role;
    }

    public PoolProperties getPool() {
        return pool;
    }

    public @Nullable Pooler getPooler() {
        return pooler;
    }

    public void setPooler(@Nullable Pooler pooler) {
        this.pooler = pooler;
    }

    public @Nullable String getDirectUrl() {
        return directUrl;
    }

    public void setDirectUrl(@Nullable String directUrl) {
        this.directUrl = directUrl;
    }

    public @Nullable Integer getWeight() {
        return weight;
    }

    public void setWeight(@Nullable Integer weight) {
        this.weight = weight;
    }
}
