package dev.junction;

import dev.junction.spi.NodeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one unit of work did: the connections it held (node, route reason, hold time), the statements it ran (as SQL
 * shapes), how many round trips that took and how long the whole unit lasted. Produced for every unit and handed to
 * {@link UnitListener}s; available to callers through {@link Database#readReported(Work)} and
 * {@link Commit#report()}. Immutable and thread-safe.
 *
 * <p>Statement SQL is the rendered SQL with {@code ?} placeholders, inlined literals replaced by {@code ?}, comments
 * removed and truncated to about 200 characters: it never contains bind values. At most {@link #MAX_STATEMENTS}
 * statements are kept; {@link #statementCount()} is always exact.
 *
 * @param kind           read, write or parallel
 * @param outcome        whether the unit's work succeeded (for a write: committed)
 * @param connections    every connection the unit held, in the order they were acquired (a retried read has two)
 * @param statements     the statements executed, ordered by start time; at most {@link #MAX_STATEMENTS}
 * @param statementCount the number of statements executed (a batch counts as one)
 * @param roundTrips     client-server round trips: one per statement or batch, plus one per savepoint operation and
 *                       one for the commit or rollback of a write unit that sent anything
 * @param retries        how many times the unit was retried on another node (0 or 1)
 * @param duration       from the unit's start until its last connection was released
 * @param lints          the lints that found their pattern in this unit (e.g. {@code transaction-gap}), in order;
 *                       findings of WARN lints included
 * @param budgetExceeded whether a write unit ran past its transaction budget and was rolled back (then it failed
 *                       with {@link TransactionBudgetExceededException}); always false for reads
 * @param notes          lines that code running inside the unit added through {@link #NOTES_KEY}, in order, e.g.
 *                       which strategy a generated graph fetcher used and how many round trips it took
 */
public record UnitReport(Kind kind, Outcome outcome, List<ConnectionUse> connections,
        List<StatementReport> statements, int statementCount, int roundTrips, int retries, Duration duration,
        List<String> lints, boolean budgetExceeded, List<String> notes) {

    /** The most statements a report keeps; further statements are counted but not listed. */
    public static final int MAX_STATEMENTS = 512;

    /**
     * The key of the jOOQ {@code Configuration.data(Object)} entry that every unit's {@code DSLContext} carries: a
     * {@code java.util.function.Consumer<String>} that appends a line to the unit's {@link #notes()}. Libraries that
     * run statements for the caller (Junction's graph fetchers, {@code junction-graph}) use it to say what they did;
     * this constant is the one place the key is spelled, so they refer to it rather than copy it. Outside a unit the
     * entry is absent. A note must not contain bind values.
     */
    public static final String NOTES_KEY = "dev.junction.unit.notes";

    public UnitReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        connections = List.copyOf(connections);
        statements = List.copyOf(statements);
        Objects.requireNonNull(duration, "duration");
        lints = List.copyOf(lints);
        notes = List.copyOf(notes);
    }

    /** A report of a unit that did not exceed a transaction budget and has no notes. */
    public UnitReport(Kind kind, Outcome outcome, List<ConnectionUse> connections, List<StatementReport> statements,
            int statementCount, int roundTrips, int retries, Duration duration, List<String> lints) {
        this(kind, outcome, connections, statements, statementCount, roundTrips, retries, duration, lints, false,
                List.of());
    }

    /** The kind of unit of work. */
    public enum Kind {
        /** {@link Database#read}: one read connection, no transaction. */
        READ,
        /** {@link Database#write}: the primary, one transaction. */
        WRITE,
        /** {@link Database#parallel}: several read connections at once, no transaction. */
        PARALLEL
    }

    /** How a unit of work ended. */
    public enum Outcome {
        /** The work returned normally (and a write committed). */
        SUCCESS,
        /** The work, the commit or the routing failed; a write was rolled back. */
        FAILURE
    }

    /**
     * One connection held by the unit.
     *
     * @param node     the node that served it
     * @param reason   the router's reason for choosing that node, e.g. {@code replica}, {@code fallback}, {@code single}
     * @param holdTime from the moment the router handed out the connection until the unit released it
     * @param failed   whether the work on this connection ended with an error
     */
    public record ConnectionUse(NodeRef node, String reason, Duration holdTime, boolean failed) {
        public ConnectionUse {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(holdTime, "holdTime");
        }
    }

    /**
     * One executed statement.
     *
     * @param sql         the statement's shape: rendered SQL with placeholders, no values, truncated
     * @param node        the node it ran on
     * @param startOffset when it started, measured from the start of the unit
     * @param duration    from sending it until jOOQ finished reading its results
     * @param rows        rows returned (queries) or affected (DML); {@code -1} when unknown
     * @param failed      whether it ended with an error
     */
    public record StatementReport(String sql, NodeRef node, Duration startOffset, Duration duration, long rows,
            boolean failed) {
        public StatementReport {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(startOffset, "startOffset");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** The distinct nodes the unit used, in order of first use. */
    public List<NodeRef> nodes() {
        List<NodeRef> nodes = new ArrayList<>(connections.size());
        for (ConnectionUse use : connections) {
            if (!nodes.contains(use.node())) {
                nodes.add(use.node());
            }
        }
        return List.copyOf(nodes);
    }

    /** The router's reason for each connection, in the order of {@link #connections()}. */
    public List<String> routeReasons() {
        return connections.stream().map(ConnectionUse::reason).toList();
    }

    /** The sum of all connections' hold times (for a parallel unit, more than its duration). */
    public Duration connectionHoldTime() {
        Duration total = Duration.ZERO;
        for (ConnectionUse use : connections) {
            total = total.plus(use.holdTime());
        }
        return total;
    }

    /** True when more statements ran than {@link #statements()} lists. */
    public boolean statementsTruncated() {
        return statementCount > statements.size();
    }
}
