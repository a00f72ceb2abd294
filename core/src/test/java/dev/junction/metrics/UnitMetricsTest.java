package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.UnitReport;
import dev.junction.UnitReport.ConnectionUse;
import dev.junction.UnitReport.StatementReport;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** UnitMetrics on hand-made reports: outcomes, lints and the operation keyword, without a database. */
class UnitMetricsTest {
    private static final NodeRef PRIMARY = new NodeRef("primary", Role.PRIMARY);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UnitMetrics metrics = new UnitMetrics(registry);

    @Test
    void aFailedWriteIsTimedAsAFailureWithItsFailedStatementAndLints() {
        metrics.onUnitEnd(new UnitReport(UnitReport.Kind.WRITE, UnitReport.Outcome.FAILURE,
                List.of(new ConnectionUse(PRIMARY, "primary", Duration.ofMillis(30), true)),
                List.of(new StatementReport("update t set a = ? where id = ?", PRIMARY, Duration.ZERO,
                        Duration.ofMillis(7), -1, true)),
                1, 2, 0, Duration.ofMillis(40), List.of("transaction-gap", "write-without-writes")));

        assertThat(registry.get(MeterNames.UNIT_DURATION).tags("kind", "write", "outcome", "failure").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(registry.get(MeterNames.UNIT_DURATION).tags("kind", "write", "outcome", "success").timer()
                .count()).isZero();
        assertThat(registry.get(MeterNames.UNIT_CONNECTION_HOLD).tags("kind", "write").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
        assertThat(registry.get(MeterNames.DB_OPERATION_DURATION)
                .tags("db.system.name", "postgresql", "db.operation.name", "UPDATE", "node", "primary",
                        "role", "primary", "outcome", "failure")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
        assertThat(registry.get(MeterNames.LINT).tag("lint", "transaction-gap").counter().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.LINT).tag("lint", "write-without-writes").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aWriteIsOneTransactionAndAnOverrunIsCountedReadsAreNeither() {
        metrics.onUnitEnd(new UnitReport(UnitReport.Kind.WRITE, UnitReport.Outcome.FAILURE,
                List.of(new ConnectionUse(PRIMARY, "primary", Duration.ofMillis(120), true)), List.of(), 1, 3, 0,
                Duration.ofMillis(125), List.of(), true, List.of()));
        metrics.onUnitEnd(new UnitReport(UnitReport.Kind.WRITE, UnitReport.Outcome.SUCCESS,
                List.of(new ConnectionUse(PRIMARY, "primary", Duration.ofMillis(20), false)), List.of(), 1, 3, 0,
                Duration.ofMillis(21), List.of()));
        metrics.onUnitEnd(new UnitReport(UnitReport.Kind.READ, UnitReport.Outcome.SUCCESS,
                List.of(new ConnectionUse(PRIMARY, "fallback", Duration.ofMillis(5), false)), List.of(), 1, 1, 0,
                Duration.ofMillis(5), List.of()));

        assertThat(registry.get(MeterNames.TX_DURATION).tag("outcome", "failure").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
        assertThat(registry.get(MeterNames.TX_DURATION).tag("outcome", "success").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
        assertThat(registry.get(MeterNames.TX_DURATION).timers()).allSatisfy(t -> assertThat(t.count()).isEqualTo(1));
        assertThat(registry.get(MeterNames.TX_BUDGET_EXCEEDED).counter().count()).isEqualTo(1);
    }

    @Test
    void statementsBeyondTheListedOnesAreCountedButNotTimed() {
        metrics.onUnitEnd(new UnitReport(UnitReport.Kind.READ, UnitReport.Outcome.SUCCESS,
                List.of(new ConnectionUse(PRIMARY, "fallback", Duration.ofMillis(5), false)),
                List.of(new StatementReport("select ?", PRIMARY, Duration.ZERO, Duration.ofMillis(1), 1, false)),
                600, 600, 0, Duration.ofMillis(5), List.of()));

        assertThat(registry.get(MeterNames.UNIT_STATEMENTS).tag("kind", "read").summary().totalAmount())
                .isEqualTo(600);
        assertThat(registry.get(MeterNames.DB_OPERATION_DURATION).timer().count()).isEqualTo(1);
    }

    @Test
    void theOperationIsTheLeadingKeywordOrOther() {
        assertThat(UnitMetrics.operation("select 1")).isEqualTo("SELECT");
        assertThat(UnitMetrics.operation("  INSERT into t values (?)")).isEqualTo("INSERT");
        assertThat(UnitMetrics.operation("with x as (select 1) select * from x")).isEqualTo("OTHER");
        assertThat(UnitMetrics.operation("(select 1) union (select 2)")).isEqualTo("OTHER");
        assertThat(UnitMetrics.operation("create table secret_customer_list (a int)")).isEqualTo("OTHER");
        assertThat(UnitMetrics.operation("")).isEqualTo("OTHER");
    }
}
