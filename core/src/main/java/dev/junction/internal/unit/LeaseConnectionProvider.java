package dev.junction.internal.unit;

import java.sql.Connection;
import org.jooq.ConnectionProvider;

/**
 * Hands jOOQ the one connection of a lease, every time; releasing is a no-op because the unit of work releases the
 * lease itself. Confined to the lease's thread.
 */
final class LeaseConnectionProvider implements ConnectionProvider {
    private final Connection connection;

    LeaseConnectionProvider(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Connection acquire() {
        return connection;
    }

    @Override
    public void release(Connection released) {
        // The unit of work releases the lease.
    }
}
