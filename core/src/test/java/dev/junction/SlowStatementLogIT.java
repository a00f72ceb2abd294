package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.LogCapture;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The slow-statement log (issue 7): what a line says, bind values redacted unless asked for, the threshold. */
@WithEmbeddedCluster(replicas = 1)
class SlowStatementLogIT {
    private static final String SECRET_BIND = "bind-value-7f3a";

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table slow_t (id bigint primary key, label text not null)");
        cluster.primary().execute("grant all on slow_t to " + cluster.user());
        cluster.primary().execute("insert into slow_t values (1, 'one'), (2, 'two')");
        cluster.awaitReplication(Duration.ofSeconds(10));
    }

    private static Database db(EmbeddedPostgresCluster cluster, Duration threshold, boolean binds) {
        return Junction.builder().router(new TwoPoolRouter(cluster, 2)).slowStatementThreshold(threshold)
                .slowStatementBindValues(binds).build();
    }

    @Test
    void aSlowStatementIsLoggedWithNodeDurationRowsAndShapeButNotItsBindValues(EmbeddedPostgresCluster cluster) {
        try (Database db = db(cluster, Duration.ofNanos(1), false); LogCapture log = new LogCapture()) {
            db.read(ctx -> ctx.fetch("select label from slow_t where label <> ? order by id", SECRET_BIND));
            db.write(ctx -> ctx.execute("insert into slow_t values (?, ?) on conflict do nothing", 99L, SECRET_BIND));

            List<String> lines = log.lines("slow statement");
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .contains("dev.junction.slow", "WARN")
                    .containsPattern("slow statement: \\d+\\.\\d ms on node 'replica-1' \\(replica\\), 2 rows, read"
                            + " unit, threshold 0 ms: select label from slow_t where label <> \\? order by id"
                            + " \\[1 bind value redacted; Junction.builder\\(\\).slowStatementBindValues\\(true\\)"
                            + " shows them]"));
            assertThat(lines).anySatisfy(l -> assertThat(l).containsPattern(
                    "on node 'primary' \\(primary\\), 1 row, write unit, threshold 0 ms: insert into slow_t values"
                            + " \\(\\?, \\?\\) on conflict do nothing \\[2 bind values redacted"));
            assertThat(log.text()).doesNotContain(SECRET_BIND).doesNotContain("99");
        }
    }

    @Test
    void bindValuesAreShownOnlyWhenSwitchedOn(EmbeddedPostgresCluster cluster) {
        try (Database db = db(cluster, Duration.ofNanos(1), true); LogCapture log = new LogCapture()) {
            db.read(ctx -> ctx.fetch("select label from slow_t where id = ? and label <> ?", 2L, SECRET_BIND));

            assertThat(log.lines("slow statement")).anySatisfy(l -> assertThat(l)
                    .contains("1 row, read unit", "where id = ? and label <> ? [bind values: 2, '" + SECRET_BIND
                            + "']"));
        }
    }

    @Test
    void aFailedStatementIsMarkedAndOnlyStatementsOverTheThresholdAreLogged(EmbeddedPostgresCluster cluster) {
        try (Database db = db(cluster, Duration.ofMillis(100), false); LogCapture log = new LogCapture()) {
            db.read(ctx -> ctx.fetch("select pg_sleep(0.15)"));
            assertThatThrownBy(() -> db.read(ctx -> ctx.fetch("select (pg_sleep(0.15)::text || 'x')::int")))
                    .isInstanceOf(org.jooq.exception.DataAccessException.class);

            List<String> lines = log.lines("slow statement");
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("slow statement: ")
                    .contains("threshold 100 ms: select pg_sleep(?)").contains("1 row"));
            // the cast fails only after pg_sleep (volatile, never folded) ran, so the statement is over the threshold
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("slow statement (failed): ")
                    .contains("rows unknown").contains("select (pg_sleep(?)::text || ?)::int"));
        }
        try (Database db = db(cluster, Duration.ofHours(1), false); LogCapture log = new LogCapture()) {
            db.read(ctx -> ctx.fetch("select label from slow_t"));
            assertThat(log.lines("slow statement")).as("nothing takes an hour").isEmpty();
        }
        try (Database db = db(cluster, Duration.ZERO, false); LogCapture log = new LogCapture()) {
            db.read(ctx -> ctx.fetch("select pg_sleep(0.01)"));
            assertThat(log.lines("slow statement")).as("0 switches the log off").isEmpty();
        }
    }

    @Test
    void aNegativeThresholdIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Junction.builder().slowStatementThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("slowStatementThreshold must be >= 0 (0 switches the log off), but was PT-0.001S");
    }
}
