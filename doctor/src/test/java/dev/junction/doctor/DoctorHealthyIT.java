package dev.junction.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor (issue 7) on a healthy cluster with pg_stat_statements: exit code 0 and the top statements. */
@WithEmbeddedCluster(replicas = 1, settings = "shared_preload_libraries=pg_stat_statements")
class DoctorHealthyIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create extension pg_stat_statements");
        cluster.primary().execute("""
                create table teams (id bigint primary key);
                create table members (id bigint primary key, team_id bigint not null references teams (id));
                create index on members (team_id);
                """);
        cluster.primary().execute("grant select on all tables in schema public to " + cluster.user());
        cluster.primary().execute("select pg_stat_statements_reset()");
        for (int i = 0; i < 7; i++) {
            cluster.primary().query("select count(*) from members where team_id = ?", (long) i);
        }
        cluster.awaitReplication(Duration.ofSeconds(10));
    }

    @Test
    void aHealthyClusterExitsZeroAndListsItsTopStatements(EmbeddedPostgresCluster cluster) {
        Path file = DoctorRuns.write(dir, "junction.yaml", DoctorRuns.yaml(cluster, cluster.password(), 10, 10, 2));

        DoctorRuns.Run run = DoctorRuns.run(file.toString());

        assertThat(run.exitCode()).isEqualTo(Doctor.OK);
        assertThat(run.out()).contains("No critical findings (exit code 0).")
                .contains("Foreign keys without a supporting index (catalog of node 'primary')\n  none\n")
                .contains("Findings: 0 critical, 0 warning(s)")
                .containsPattern("\\d+\\.\\d ms total +7 calls +\\d+\\.\\d\\d ms mean +7 rows +select count\\(\\*\\)"
                        + " from members where team_id = \\$1")
                .doesNotContain("junction-doctor");
    }

    @Test
    void jsonSaysOkWithTheStatementsOfEveryNode(EmbeddedPostgresCluster cluster) {
        Path file = DoctorRuns.write(dir, "junction.yaml", DoctorRuns.yaml(cluster, cluster.password(), 10, 10, 2));

        DoctorRuns.Run run = DoctorRuns.run(file.toString(), "--json", "--top=3");

        assertThat(run.exitCode()).isEqualTo(Doctor.OK);
        Map<String, Object> json = run.json();
        assertThat(json).containsEntry("status", "ok").containsEntry("exitCode", 0)
                .containsEntry("foreignKeysWithoutIndex", List.of()).containsEntry("sessions", List.of());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) json.get("topStatements");
        assertThat(statements).extracting(s -> s.get("node"), s -> s.get("available"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("primary", true),
                        org.assertj.core.groups.Tuple.tuple("replica-1", true));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> primaryTop = (List<Map<String, Object>>) statements.get(0).get("statements");
        assertThat(primaryTop).hasSizeLessThanOrEqualTo(3).anySatisfy(s -> assertThat(s)
                .containsEntry("query", "select count(*) from members where team_id = $1")
                .containsEntry("calls", 7).containsEntry("rows", 7));
    }
}
