package dev.junction.routing;

/**
 * What sits between Junction and a node's PostgreSQL server, which decides the driver settings Junction may use on
 * that node's connections.
 */
public enum Pooler {
    /** Connections go straight to PostgreSQL (the default): sessions are Junction's own. */
    NONE,
    /**
     * PgBouncer (or a pooler that behaves alike) in {@code pool_mode = transaction}: each transaction, or each
     * statement outside one, may run on a different server session. Junction then keeps every setting inside a
     * transaction and turns off what needs a session: pgJDBC's server-side prepared statements
     * ({@code prepareThreshold=0}), the connect-time {@code SET} statements ({@code assumeMinServerVersion}, so the
     * values travel in the start-up packet), the session-wide read-only mode of replica pools; the monitor probes
     * through the pooler, and the {@code LISTEN} connection for lookup invalidation goes to the node's
     * {@link NodeConfig#directUrl() direct URL}.
     */
    PGBOUNCER_TRANSACTION
}
