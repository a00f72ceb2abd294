package dev.junction.samples.service;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.ConnectionProvider;
import org.jooq.exception.DataAccessException;

/**
 * A jOOQ connection provider over a HikariCP pool that adds up how long each connection was out of the pool, so the
 * implementations without Junction report the connection hold time Junction's unit reports give. Thread-safe.
 */
final class TimedConnections implements ConnectionProvider {
    private final String name;
    private final HikariDataSource pool;
    private final LongAdder holdNanos;
    private final Map<Connection, Long> borrowedAt = new ConcurrentHashMap<>();

    TimedConnections(String name, HikariDataSource pool, LongAdder holdNanos) {
        this.name = name;
        this.pool = pool;
        this.holdNanos = holdNanos;
    }

    @Override
    public Connection acquire() {
        try {
            Connection c = pool.getConnection();
            borrowedAt.put(c, System.nanoTime());
            return c;
        } catch (SQLException e) {
            // Keeps HikariCP's SQLTransientConnectionException as the cause: the service answers it with 503.
            throw new DataAccessException(name + " pool: no connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Connection connection) {
        Long start = borrowedAt.remove(connection);
        if (start != null) {
            holdNanos.add(System.nanoTime() - start);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw new DataAccessException(name + " pool: could not return a connection", e);
        }
    }
}
