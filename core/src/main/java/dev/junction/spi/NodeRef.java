package dev.junction.spi;

import java.util.Objects;

/**
 * Identifies the node a connection came from: its configured name and the role it served in.
 *
 * @param name the node's configured name, e.g. {@code primary} or {@code replica-1}; never a URL or credential
 * @param role the role the node served in for this lease
 */
public record NodeRef(String name, Role role) {
    public NodeRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
