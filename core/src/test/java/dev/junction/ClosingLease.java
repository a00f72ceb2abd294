package dev.junction;

import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The lease of the test routers: a pooled connection that goes back to its pool on release, after telling
 * {@code onRelease} how the unit ended.
 */
public record ClosingLease(Connection connection, NodeRef node, String reason,
                           Consumer<@Nullable Throwable> onRelease) implements Lease {

    public ClosingLease(Connection connection, NodeRef node, String reason) {
        this(connection, node, reason, failure -> { });
    }

    @Override
    public void release(@Nullable Throwable failure) {
        onRelease.accept(failure);
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
