package dev.junction.internal.observation;

import dev.junction.Consistency;
import dev.junction.JunctionException;
import dev.junction.UnitReport;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.UnitSections;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;

/**
 * Units of work as Micrometer observations: the only class of Junction that touches {@code micrometer-observation},
 * loaded only when {@code Junction.Builder.observationRegistry} was given. Each unit is one {@value #UNIT}
 * observation, the parent of a {@value #ACQUIRE} observation per connection it asked for and a {@value #STATEMENT}
 * observation per statement (OpenTelemetry database convention keys); a graph fetch is a nested {@value #UNIT} of
 * kind {@code graph}. Key values never hold SQL literals, bind values, credentials or server error details: statements
 * are described by their shape, failures by their type and SQLState. Thread-safe.
 */
final class ObservationTracing implements UnitTracing {
    static final String UNIT = "junction.unit";
    static final String ACQUIRE = "junction.connection.acquire";
    static final String STATEMENT = "junction.statement";
    static final String TOKEN_WAIT_EVENT = "junction.token.wait";

    static final String KIND = "junction.unit.kind";
    static final String OUTCOME = "outcome";
    static final String ROLE = "junction.node.role";
    static final String CONSISTENCY = "junction.consistency";
    static final String STRATEGY = "junction.graph.strategy";
    static final String REASON = "junction.route.reason";
    static final String ERROR_TYPE = "error.type";
    static final String NODE = "junction.node";
    static final String STATEMENTS = "junction.statements";
    static final String ROUND_TRIPS = "junction.round_trips";
    static final String RETRIES = "junction.retries";
    static final String POOL_WAIT = "junction.pool.wait_ms";
    static final String GROUP_WORKS = "junction.group.works";
    static final String GROUP_PEAK = "junction.group.peak_connections";
    static final String GROUP_SHARED = "junction.group.shared_runs";
    static final String DB_SYSTEM = "db.system.name";
    static final String DB_OPERATION = "db.operation.name";
    static final String DB_SUMMARY = "db.query.summary";
    static final String DB_TEXT = "db.query.text";
    static final String DB_ROWS = "db.response.returned_rows";
    static final String SERVER_ADDRESS = "server.address";
    static final String SERVER_PORT = "server.port";
    private static final String NONE = "none";

    private final ObservationRegistry registry;
    /** server.address/server.port by node name, read once from a connection's URL. */
    private final ConcurrentHashMap<String, ServerAddress> addresses = new ConcurrentHashMap<>();

    ObservationTracing(Object registry) {
        this.registry = (ObservationRegistry) registry;
    }

    @Override
    public UnitSpan unit(UnitReport.Kind kind, Consistency consistency) {
        String k = kind.name().toLowerCase(Locale.ROOT);
        Observation o = Observation.createNotStarted(UNIT, Observation.Context::new, registry)
                .contextualName("junction " + k)
                .lowCardinalityKeyValue(KIND, k)
                .lowCardinalityKeyValue(CONSISTENCY, mode(consistency))
                .lowCardinalityKeyValue(STRATEGY, NONE)
                .start();
        return new Unit(o);
    }

    static String mode(Consistency consistency) {
        return switch (consistency) {
            case Consistency.Eventual e -> "eventual";
            case Consistency.After a -> "token";
            case Consistency.Strong s -> "strong";
            case Consistency.InvalidToken i -> "invalid_token";
        };
    }

    /** The role the unit's connections served in: primary, replica, mixed (a read retried elsewhere) or none. */
    static String role(List<UnitReport.ConnectionUse> connections) {
        Role role = null;
        for (UnitReport.ConnectionUse use : connections) {
            if (role == null) {
                role = use.node().role();
            } else if (role != use.node().role()) {
                return "mixed";
            }
        }
        return role == null ? NONE : role.tag();
    }

    private ServerAddress address(Lease lease) {
        String node = lease.node().name();
        ServerAddress known = addresses.get(node);
        if (known != null) {
            return known;
        }
        ServerAddress address;
        try {
            String url = lease.connection().getMetaData().getURL();
            address = url == null ? ServerAddress.UNKNOWN : ServerAddress.parse(url);
        } catch (SQLException | RuntimeException e) {
            address = ServerAddress.UNKNOWN;
        }
        addresses.putIfAbsent(node, address);
        return address;
    }

    /** The failure as a span may show it: its type and SQLState; the message only of Junction's own exceptions. */
    static Throwable safe(Throwable failure) {
        String state = sqlState(failure);
        String type = failure.getClass().getName();
        String message = failure instanceof JunctionException ? type + ": " + failure.getMessage()
                : type + (state != null ? " (SQLState " + state + ")" : "");
        return new TracedFailure(message);
    }

    static String errorType(Throwable failure) {
        String state = sqlState(failure);
        return state != null ? state : failure.getClass().getSimpleName();
    }

    private static @Nullable String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
            if (t instanceof DataAccessException e && e.sqlState() != null && !"HY000".equals(e.sqlState())) {
                return e.sqlState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** What a span records of a failure: no stack trace, no message text beyond {@link #safe}'s. */
    static final class TracedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TracedFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final class Unit implements UnitSpan, UnitSections {
        private final Observation observation;
        private final LongAdder poolWait = new LongAdder();

        Unit(Observation observation) {
            this.observation = observation;
        }

        @Override
        public Scope open() {
            Observation.Scope scope = observation.openScope();
            return scope::close;
        }

        @Override
        public @Nullable Scope openInWork() {
            if (registry.getCurrentObservation() == observation) {
                return null; // the caller's restored context made it current already
            }
            return open();
        }

        /** The parent of a statement or section: the innermost current observation, else the unit. */
        private Observation parent() {
            Observation current = registry.getCurrentObservation();
            return current != null ? current : observation;
        }

        @Override
        public Acquisition acquiring() {
            Observation a = Observation.createNotStarted(ACQUIRE, Observation.Context::new, registry)
                    .parentObservation(observation)
                    .contextualName("junction connection")
                    .start();
            long start = System.nanoTime();
            return new Acquisition() {
                @Override
                public void acquired(Lease lease) {
                    poolWait.add(System.nanoTime() - start);
                    NodeRef node = lease.node();
                    String reason = lease.reason();
                    a.lowCardinalityKeyValue(ROLE, node.role().tag())
                            .lowCardinalityKeyValue(REASON, reason)
                            .lowCardinalityKeyValue(OUTCOME, "success")
                            .highCardinalityKeyValue(NODE, node.name());
                    ServerAddress address = address(lease);
                    if (address.known()) {
                        a.highCardinalityKeyValue(SERVER_ADDRESS, address.host())
                                .highCardinalityKeyValue(SERVER_PORT, Integer.toString(address.port()));
                    }
                    if ("token_waited".equals(reason)) {
                        a.event(Observation.Event.of(TOKEN_WAIT_EVENT,
                                "waited for the replica to replay the consistency token's commit"));
                    }
                    a.stop();
                }

                @Override
                public void failed(Throwable failure) {
                    poolWait.add(System.nanoTime() - start);
                    a.lowCardinalityKeyValue(ROLE, NONE).lowCardinalityKeyValue(REASON, NONE)
                            .lowCardinalityKeyValue(OUTCOME, "failure")
                            .lowCardinalityKeyValue(ERROR_TYPE, errorType(failure))
                            .error(safe(failure));
                    a.stop();
                }
            };
        }

        @Override
        public Statement statement(String shape, NodeRef node) {
            QuerySummary summary = QuerySummary.of(shape);
            Observation s = Observation.createNotStarted(STATEMENT, Observation.Context::new, registry)
                    .parentObservation(parent())
                    .contextualName(summary.summary())
                    .lowCardinalityKeyValue(DB_SYSTEM, "postgresql")
                    .lowCardinalityKeyValue(DB_OPERATION, summary.operation())
                    .lowCardinalityKeyValue(ROLE, node.role().tag())
                    .highCardinalityKeyValue(DB_SUMMARY, summary.summary())
                    .highCardinalityKeyValue(DB_TEXT, shape)
                    .highCardinalityKeyValue(NODE, node.name());
            ServerAddress address = addresses.get(node.name());
            if (address != null && address.known()) {
                s.highCardinalityKeyValue(SERVER_ADDRESS, address.host())
                        .highCardinalityKeyValue(SERVER_PORT, Integer.toString(address.port()));
            }
            s.start();
            return (rows, failure) -> {
                if (rows >= 0) {
                    s.highCardinalityKeyValue(DB_ROWS, Long.toString(rows));
                }
                if (failure != null) {
                    s.lowCardinalityKeyValue(OUTCOME, "failure").lowCardinalityKeyValue(ERROR_TYPE,
                            errorType(failure)).error(safe(failure));
                } else {
                    s.lowCardinalityKeyValue(OUTCOME, "success").lowCardinalityKeyValue(ERROR_TYPE, NONE);
                }
                s.stop();
            };
        }

        @Override
        public UnitSections sections() {
            return this;
        }

        @Override
        public Section open(String kind, String strategy) {
            Observation sec = Observation.createNotStarted(UNIT, Observation.Context::new, registry)
                    .parentObservation(parent())
                    .contextualName("junction " + kind + " " + strategy)
                    .lowCardinalityKeyValue(KIND, kind)
                    .lowCardinalityKeyValue(STRATEGY, strategy)
                    .lowCardinalityKeyValue(CONSISTENCY, NONE)
                    .lowCardinalityKeyValue(ROLE, NONE)
                    .start();
            Observation.Scope scope = sec.openScope();
            return new Section() {
                private boolean failed;

                @Override
                public void completed(int statements, int roundTrips) {
                    sec.highCardinalityKeyValue(STATEMENTS, Integer.toString(statements))
                            .highCardinalityKeyValue(ROUND_TRIPS, Integer.toString(roundTrips));
                }

                @Override
                public void failed(Throwable failure) {
                    failed = true;
                    sec.lowCardinalityKeyValue(ERROR_TYPE, errorType(failure)).error(safe(failure));
                }

                @Override
                public void close() {
                    sec.lowCardinalityKeyValue(OUTCOME, failed ? "failure" : "success");
                    if (!failed) {
                        sec.lowCardinalityKeyValue(ERROR_TYPE, NONE);
                    }
                    scope.close();
                    sec.stop();
                }
            };
        }

        @Override
        public void end(UnitReport report, @Nullable Throwable failure) {
            List<String> nodes = new ArrayList<>(2);
            for (NodeRef node : report.nodes()) {
                nodes.add(node.name());
            }
            observation.lowCardinalityKeyValue(OUTCOME, report.outcome().name().toLowerCase(Locale.ROOT))
                    .lowCardinalityKeyValue(ROLE, role(report.connections()))
                    .lowCardinalityKeyValue(ERROR_TYPE, failure == null ? NONE : errorType(failure))
                    .highCardinalityKeyValue(NODE, String.join(",", nodes))
                    .highCardinalityKeyValue(STATEMENTS, Integer.toString(report.statementCount()))
                    .highCardinalityKeyValue(ROUND_TRIPS, Integer.toString(report.roundTrips()))
                    .highCardinalityKeyValue(RETRIES, Integer.toString(report.retries()))
                    .highCardinalityKeyValue(POOL_WAIT, millis(poolWait.sum()));
            UnitReport.Group group = report.group();
            if (group != null) {
                observation.highCardinalityKeyValue(GROUP_WORKS, Integer.toString(group.works()))
                        .highCardinalityKeyValue(GROUP_PEAK, Integer.toString(group.peakConnections()))
                        .highCardinalityKeyValue(GROUP_SHARED, Integer.toString(group.sharedRuns()));
            }
            if (failure != null) {
                observation.error(safe(failure));
            }
            observation.stop();
        }
    }
}
