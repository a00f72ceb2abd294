package dev.junction.metrics;

/**
 * Every meter name and tag key Junction registers, in one place (see {@code docs/metrics.md}). Names are lower-case
 * and dotted: {@code junction.*} for Junction's own meters, the OpenTelemetry database semantic-convention name where
 * one exists. Tag values are bounded: node names, roles, outcomes, unit kinds, route reasons, lint names and SQL
 * operation keywords; never SQL text, bind values or credentials.
 */
public final class MeterNames {
    private MeterNames() {
    }

    /** Timer: one unit of work from start until its last connection was released. Tags kind, outcome. */
    public static final String UNIT_DURATION = "junction.unit.duration";
    /** Distribution summary: client-server round trips of one unit. Tag kind. */
    public static final String UNIT_ROUND_TRIPS = "junction.unit.round_trips";
    /** Distribution summary: statements executed by one unit (a batch counts as one). Tag kind. */
    public static final String UNIT_STATEMENTS = "junction.unit.statements";
    /** Timer: the sum of the hold times of one unit's connections. Tag kind. */
    public static final String UNIT_CONNECTION_HOLD = "junction.unit.connection_hold";
    /** Timer (OpenTelemetry name): one statement. Tags db.system.name, db.operation.name, node, role, outcome. */
    public static final String DB_OPERATION_DURATION = "db.client.operation.duration";
    /** Counter: lint findings. Tag lint. */
    public static final String LINT = "junction.lint";
    /** Timer: one write transaction, from taking the primary connection until it was released. Tag outcome. */
    public static final String TX_DURATION = "junction.tx.duration";
    /** Counter: write transactions rolled back because they ran past their budget. No tags. */
    public static final String TX_BUDGET_EXCEEDED = "junction.tx.budget_exceeded";

    /** Function counter: routing decisions of a router. Tag reason. */
    public static final String ROUTE = "junction.route";
    /** Gauge: WAL bytes a replica has not replayed. Tag node. */
    public static final String REPLICA_LAG_BYTES = "junction.replica.lag.bytes";
    /** Gauge: estimated staleness of a replica. Tag node. */
    public static final String REPLICA_LAG_SECONDS = "junction.replica.lag.seconds";
    /** Gauge: 1 when the monitor's last check reached the node, else 0. Tags node, role. */
    public static final String NODE_UP = "junction.node.up";
    /** Gauge: 1 when the node may serve its role now, else 0. Tags node, role. */
    public static final String NODE_ELIGIBLE = "junction.node.eligible";
    /** Gauge: the node's circuit breaker, 0 closed, 1 half-open, 2 open. Tag node. */
    public static final String BREAKER_STATE = "junction.breaker.state";
    /** Function counter: times the node's circuit breaker opened. Tag node. */
    public static final String BREAKER_OPENINGS = "junction.breaker.openings";
    /**
     * Function counter: openings of the node's breaker that came soon after it was readmitted and so lengthened its
     * wait (the node flaps). Tag node.
     */
    public static final String BREAKER_BACKOFFS = "junction.breaker.backoffs";
    /**
     * Function counter: monitor checks of the node that got no answer in time but were not counted against it,
     * because the node kept completing the application's statements (a loaded client, not a dead node). Tag node.
     */
    public static final String MONITOR_INCONCLUSIVE = "junction.monitor.inconclusive";
    /**
     * Gauge: callers allowed at the node at once, holding or waiting for a connection: {@code maximumPoolSize +
     * maxWaiting}, or the adaptive limit's current value ({@code resilience.bulkhead.adaptive}). Tag node.
     */
    public static final String POOL_LIMIT = "junction.pool.limit";
    /** Function counter: callers turned away at once because the node's limit was reached. Tag node. */
    public static final String POOL_SHEDS = "junction.pool.sheds";
    /** Gauge: connections lent out by the node's pool. Tag node. */
    public static final String POOL_ACTIVE = "junction.pool.active";
    /** Gauge: idle connections in the node's pool. Tag node. */
    public static final String POOL_IDLE = "junction.pool.idle";
    /** Gauge: threads waiting for a connection from the node's pool. Tag node. */
    public static final String POOL_PENDING = "junction.pool.pending";
    /**
     * Gauge (OpenTelemetry name): connections of the node's pool in one state. Tags db.client.connection.pool.name,
     * db.client.connection.state (used, idle), node.
     */
    public static final String DB_CONNECTION_COUNT = "db.client.connection.count";
    /** Gauge (OpenTelemetry name): the most connections the node's pool may open. Tags pool name, node. */
    public static final String DB_CONNECTION_MAX = "db.client.connection.max";
    /** Gauge (OpenTelemetry name): requests waiting for a connection of the node's pool. Tags pool name, node. */
    public static final String DB_CONNECTION_PENDING = "db.client.connection.pending_requests";
    /** Gauge: nodes claiming the primary role at the last check (1 normally, 0 in a failover, 2+ split brain). */
    public static final String PRIMARY_CLAIMANTS = "junction.primary.claimants";
    /** Function counter: write-target changes a router followed (failovers). */
    public static final String PRIMARY_CHANGES = "junction.primary.changes";
    /** Function counter: split-brain episodes, two or more nodes claiming the primary role at once. */
    public static final String SPLIT_BRAIN = "junction.split_brain";

    /** Tag: unit kind, {@code read}, {@code write} or {@code parallel}. */
    public static final String TAG_KIND = "kind";
    /** Tag: {@code success} or {@code failure}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: the configured node name. */
    public static final String TAG_NODE = "node";
    /** Tag: {@code primary} or {@code replica}. */
    public static final String TAG_ROLE = "role";
    /** Tag: a routing reason such as {@code replica} or {@code fallback}. */
    public static final String TAG_REASON = "reason";
    /** Tag: a lint name such as {@code transaction-gap}. */
    public static final String TAG_LINT = "lint";
    /** Tag (OpenTelemetry): the database system, always {@code postgresql}. */
    public static final String TAG_DB_SYSTEM = "db.system.name";
    /** Tag (OpenTelemetry): the statement's leading keyword, e.g. {@code SELECT}; {@code OTHER} when not one we know. */
    public static final String TAG_DB_OPERATION = "db.operation.name";
    /** Tag (OpenTelemetry): the pool's name, {@code junction-<node>}, as HikariCP's own meters call it. */
    public static final String TAG_POOL_NAME = "db.client.connection.pool.name";
    /** Tag (OpenTelemetry): a pooled connection's state, {@code used} or {@code idle}. */
    public static final String TAG_CONNECTION_STATE = "db.client.connection.state";
}
