package dev.junction.metrics;

import dev.junction.UnitListener;
import dev.junction.UnitReport;
import dev.junction.spi.NodeRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records every {@link UnitReport} in a Micrometer {@link MeterRegistry}: unit duration, round trips, statements and
 * connection hold time by unit kind, one {@code db.client.operation.duration} sample per listed statement, lint
 * findings, and for writes the transaction's duration and budget overruns. Register it when building the Database:
 *
 * <pre>{@code
 * Database db = Junction.builder().router(router).unitListener(new UnitMetrics(registry)).build();
 * }</pre>
 *
 * <p>Tag values are bounded (unit kind, outcome, node name, role, lint name, the statement's leading keyword); SQL
 * text and bind values never become tags. Statements beyond {@link UnitReport#MAX_STATEMENTS} in one unit are counted
 * in {@code junction.unit.statements} but not timed. Meter names are in {@link MeterNames}; see
 * {@code docs/metrics.md}. Thread-safe.
 */
public final class UnitMetrics implements UnitListener {
    /** The {@code db.system.name} of every statement. */
    static final String DB_SYSTEM = "postgresql";
    /** Leading keywords reported as {@code db.operation.name}; anything else is {@code OTHER}. */
    static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL");

    private final MeterRegistry registry;
    private final Map<UnitReport.Kind, Timer> succeeded = new EnumMap<>(UnitReport.Kind.class);
    private final Map<UnitReport.Kind, Timer> failed = new EnumMap<>(UnitReport.Kind.class);
    private final Map<UnitReport.Kind, DistributionSummary> roundTrips = new EnumMap<>(UnitReport.Kind.class);
    private final Map<UnitReport.Kind, DistributionSummary> statements = new EnumMap<>(UnitReport.Kind.class);
    private final Map<UnitReport.Kind, Timer> holds = new EnumMap<>(UnitReport.Kind.class);
    private final Map<StatementKey, Timer> statementTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> lints = new ConcurrentHashMap<>();
    private final Timer txSucceeded;
    private final Timer txFailed;
    private final Counter budgetExceeded;

    /** Registers the unit meters of every kind and outcome in {@code registry} at once (at zero). */
    public UnitMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (UnitReport.Kind kind : UnitReport.Kind.values()) {
            String k = tag(kind);
            succeeded.put(kind, unitTimer(k, "success"));
            failed.put(kind, unitTimer(k, "failure"));
            roundTrips.put(kind, DistributionSummary.builder(MeterNames.UNIT_ROUND_TRIPS)
                    .description("Client-server round trips of one unit of work")
                    .baseUnit("round_trips").tag(MeterNames.TAG_KIND, k).register(registry));
            statements.put(kind, DistributionSummary.builder(MeterNames.UNIT_STATEMENTS)
                    .description("Statements executed by one unit of work (a batch counts as one)")
                    .baseUnit("statements").tag(MeterNames.TAG_KIND, k).register(registry));
            holds.put(kind, Timer.builder(MeterNames.UNIT_CONNECTION_HOLD)
                    .description("Sum of the hold times of one unit of work's connections")
                    .tag(MeterNames.TAG_KIND, k).register(registry));
        }
        txSucceeded = txTimer("success");
        txFailed = txTimer("failure");
        budgetExceeded = Counter.builder(MeterNames.TX_BUDGET_EXCEEDED)
                .description("Write transactions rolled back because they ran past their transaction budget")
                .baseUnit("transactions").register(registry);
    }

    private Timer txTimer(String outcome) {
        return Timer.builder(MeterNames.TX_DURATION)
                .description("One write transaction, from taking the primary connection until it was released"
                        + " after the commit or rollback")
                .tag(MeterNames.TAG_OUTCOME, outcome).register(registry);
    }

    private Timer unitTimer(String kind, String outcome) {
        return Timer.builder(MeterNames.UNIT_DURATION)
                .description("One unit of work, from its start until its last connection was released")
                .tag(MeterNames.TAG_KIND, kind).tag(MeterNames.TAG_OUTCOME, outcome).register(registry);
    }

    @Override
    public void onUnitEnd(UnitReport report) {
        UnitReport.Kind kind = report.kind();
        Timer unit = report.outcome() == UnitReport.Outcome.SUCCESS ? succeeded.get(kind) : failed.get(kind);
        unit.record(report.duration().toNanos(), TimeUnit.NANOSECONDS);
        roundTrips.get(kind).record(report.roundTrips());
        statements.get(kind).record(report.statementCount());
        holds.get(kind).record(report.connectionHoldTime().toNanos(), TimeUnit.NANOSECONDS);
        if (kind == UnitReport.Kind.WRITE) {
            Timer tx = report.outcome() == UnitReport.Outcome.SUCCESS ? txSucceeded : txFailed;
            for (UnitReport.ConnectionUse use : report.connections()) {
                tx.record(use.holdTime().toNanos(), TimeUnit.NANOSECONDS);
            }
            if (report.budgetExceeded()) {
                budgetExceeded.increment();
            }
        }
        for (UnitReport.StatementReport statement : report.statements()) {
            StatementKey key = new StatementKey(statement.node(), operation(statement.sql()), statement.failed());
            statementTimers.computeIfAbsent(key, this::statementTimer)
                    .record(statement.duration().toNanos(), TimeUnit.NANOSECONDS);
        }
        for (String lint : report.lints()) {
            lints.computeIfAbsent(lint, name -> Counter.builder(MeterNames.LINT)
                    .description("Units of work in which a transaction lint found its pattern")
                    .baseUnit("findings").tag(MeterNames.TAG_LINT, name).register(registry)).increment();
        }
    }

    private Timer statementTimer(StatementKey key) {
        return Timer.builder(MeterNames.DB_OPERATION_DURATION)
                .description("One statement, from sending it until its results were read")
                .tag(MeterNames.TAG_DB_SYSTEM, DB_SYSTEM)
                .tag(MeterNames.TAG_DB_OPERATION, key.operation())
                .tag(MeterNames.TAG_NODE, key.node().name())
                .tag(MeterNames.TAG_ROLE, key.node().role().tag())
                .tag(MeterNames.TAG_OUTCOME, key.failed() ? "failure" : "success")
                .register(registry);
    }

    /** The statement's leading keyword when it is one of {@link #OPERATIONS}, else {@code OTHER}. */
    static String operation(String sql) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        String keyword = sql.substring(start, end).toUpperCase(Locale.ROOT);
        return OPERATIONS.contains(keyword) ? keyword : "OTHER";
    }

    private static String tag(UnitReport.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private record StatementKey(NodeRef node, String operation, boolean failed) {
    }
}
