package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.metrics.MeterNames;
import dev.junction.metrics.UnitMetrics;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UnitMetrics on real units of work: exact counts and tags, and no SQL or secrets in tags. */
@WithEmbeddedCluster(replicas = 1)
class UnitMetricsIT {
    private SimpleMeterRegistry registry;
    private Database db;

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table metered (id bigint primary key, secret_label text not null)");
        cluster.primary().execute("grant all on metered to " + cluster.user());
    }

    @BeforeEach
    void start(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("truncate metered");
        registry = new SimpleMeterRegistry();
        db = Junction.builder().router(new TwoPoolRouter(cluster, 4)).unitListener(new UnitMetrics(registry))
                .build();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void threeReadsAndTwoWritesAreCountedByKindNodeAndOperation() {
        for (int i = 0; i < 3; i++) {
            db.read(ctx -> ctx.fetchSingle("select 1").get(0));
        }
        db.write(ctx -> ctx.execute("insert into metered values (1, 'one')"));
        db.write(ctx -> ctx.fetchSingle("select count(*) from metered").get(0)); // write-without-writes

        assertThat(count(MeterNames.UNIT_DURATION, "kind", "read", "outcome", "success")).isEqualTo(3);
        assertThat(count(MeterNames.UNIT_DURATION, "kind", "write", "outcome", "success")).isEqualTo(2);
        assertThat(count(MeterNames.UNIT_DURATION, "kind", "read", "outcome", "failure")).isZero();
        assertThat(count(MeterNames.UNIT_DURATION, "kind", "parallel", "outcome", "success")).isZero();
        assertThat(registry.get(MeterNames.UNIT_STATEMENTS).tag("kind", "read").summary().totalAmount())
                .isEqualTo(3);
        assertThat(registry.get(MeterNames.UNIT_STATEMENTS).tag("kind", "write").summary().totalAmount())
                .isEqualTo(2);
        // A read: one round trip per statement. A write: its statement and the commit, plus the session's budget
        // settings once, on the first write of the physical connection (SessionLimits): 3 + 2.
        assertThat(registry.get(MeterNames.UNIT_ROUND_TRIPS).tag("kind", "read").summary().totalAmount())
                .isEqualTo(3);
        assertThat(registry.get(MeterNames.UNIT_ROUND_TRIPS).tag("kind", "write").summary().totalAmount())
                .isEqualTo(5);
        assertThat(registry.get(MeterNames.UNIT_CONNECTION_HOLD).tag("kind", "read").timer().count()).isEqualTo(3);

        assertThat(count(MeterNames.DB_OPERATION_DURATION, "db.system.name", "postgresql",
                "db.operation.name", "SELECT", "node", "replica-1", "role", "replica", "outcome", "success"))
                .isEqualTo(3);
        assertThat(count(MeterNames.DB_OPERATION_DURATION, "db.operation.name", "INSERT", "node", "primary",
                "role", "primary", "outcome", "success")).isEqualTo(1);
        assertThat(count(MeterNames.DB_OPERATION_DURATION, "db.operation.name", "SELECT", "node", "primary",
                "role", "primary", "outcome", "success")).isEqualTo(1);
        assertThat(registry.get(MeterNames.DB_OPERATION_DURATION).timers())
                .as("one timer per node, operation and outcome").hasSize(3);
        assertThat(registry.get(MeterNames.LINT).counters()).singleElement().satisfies(c -> {
            assertThat(c.getId().getTag("lint")).isEqualTo("write-without-writes");
            assertThat(c.count()).isEqualTo(1);
        });
    }

    @Test
    void writeTransactionsAreTimedByOutcomeAndBudgetOverrunsCounted() {
        db.write(ctx -> ctx.execute("insert into metered values (10, 'ten')"));
        db.write(ctx -> ctx.execute("insert into metered values (11, 'eleven')"));
        assertThatThrownBy(() -> db.write(ctx -> ctx.execute("insert into metered values (10, 'again')")))
                .isInstanceOf(org.jooq.exception.DataAccessException.class);
        assertThatThrownBy(() -> db.write(java.time.Duration.ofMillis(200), ctx -> ctx.fetch("select pg_sleep(5)")))
                .isInstanceOf(TransactionBudgetExceededException.class);
        db.read(ctx -> ctx.fetchSingle("select 1").get(0));

        assertThat(count(MeterNames.TX_DURATION, "outcome", "success")).isEqualTo(2);
        assertThat(count(MeterNames.TX_DURATION, "outcome", "failure")).isEqualTo(2);
        assertThat(registry.get(MeterNames.TX_DURATION).timers()).as("reads are no transactions").hasSize(2);
        assertThat(registry.get(MeterNames.TX_BUDGET_EXCEEDED).counter().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.TX_BUDGET_EXCEEDED).counter().getId().getTags()).isEmpty();
        // the transaction that overran held its connection at least as long as its budget
        assertThat(registry.get(MeterNames.TX_DURATION).tag("outcome", "failure").timer()
                .max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aFailingReadIsTimedAsAFailure() {
        assertThatThrownBy(() -> db.read(ctx -> ctx.fetch("select * from no_such_table")))
                .isInstanceOf(org.jooq.exception.DataAccessException.class);

        assertThat(count(MeterNames.UNIT_DURATION, "kind", "read", "outcome", "failure")).isEqualTo(1);
        assertThat(count(MeterNames.DB_OPERATION_DURATION, "db.operation.name", "SELECT", "node", "replica-1",
                "outcome", "failure")).isEqualTo(1);
    }

    @Test
    void noTagValueContainsSqlTextBindValuesOrThePassword(EmbeddedPostgresCluster cluster) {
        db.read(ctx -> ctx.fetch("select secret_label from metered where id = ?", 42L));
        db.write(ctx -> ctx.execute("insert into metered values (?, ?)", 7L, "bind-value-xyz"));
        db.write(ctx -> ctx.execute("update metered set secret_label = 'inline-literal-abc' where id = 7"));
        assertThatThrownBy(() -> db.read(ctx -> ctx.fetch("select secret_label from no_such_table")))
                .isInstanceOf(org.jooq.exception.DataAccessException.class);

        List<String> values = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).distinct().toList();
        assertThat(values).isNotEmpty().allSatisfy(v -> {
            assertThat(v).doesNotContain(cluster.password());
            assertThat(v.toLowerCase(java.util.Locale.ROOT))
                    .doesNotContain("metered", "secret_label", "bind-value", "inline-literal", "no_such_table",
                            "42", " ");
        });
        assertThat(values).contains("SELECT", "INSERT", "UPDATE", "replica-1", "primary");
    }

    private long count(String name, String... tags) {
        return registry.get(name).tags(tags).timer().count();
    }
}
