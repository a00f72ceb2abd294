package dev.junction.internal.unit;

import dev.junction.PrimaryUnavailableException;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import dev.junction.spi.SqlFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router over one DataSource: every request, read or write, gets a connection from it, reported as node
 * {@code primary} (role primary) with reason {@code single}. Exclusions cannot be honoured (there is no other node),
 * so a retried read goes back to the same DataSource, which normally hands out a different connection.
 * {@link #close()} does not close the DataSource: its owner does. Thread-safe if the DataSource is.
 */
public final class SingleDataSourceRouter implements ConnectionRouter {
    /** The node every lease reports. */
    public static final NodeRef NODE = new NodeRef("primary", Role.PRIMARY);
    /** The route reason every lease reports. */
    public static final String REASON = "single";

    private static final Logger log = LoggerFactory.getLogger(SingleDataSourceRouter.class);

    private final DataSource dataSource;

    public SingleDataSourceRouter(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Lease acquire(RouteRequest request) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new PrimaryUnavailableException("node 'primary' (single DataSource) could not provide a connection"
                    + " (SQLState " + SqlFailures.sqlState(e) + ": " + e.getMessage() + "); check that the database"
                    + " is reachable and that the pool is large enough", e);
        }
        return new SingleLease(connection);
    }

    @Override
    public void close() {
        // The DataSource belongs to the caller.
    }

    private static final class SingleLease implements Lease {
        private final Connection connection;
        private boolean released;

        SingleLease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public NodeRef node() {
            return NODE;
        }

        @Override
        public String reason() {
            return REASON;
        }

        @Override
        public void release(@Nullable Throwable failure) {
            if (released) {
                throw new IllegalStateException("lease released twice");
            }
            released = true;
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a connection of the single DataSource failed: {}", e.toString());
            }
        }
    }
}
