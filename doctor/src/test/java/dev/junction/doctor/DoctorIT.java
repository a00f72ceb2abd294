package dev.junction.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor (issue 7) on a cluster with deliberate problems: max_connections of 20 and foreign keys without a
 * supporting index (next to supported ones that must not be reported).
 */
@WithEmbeddedCluster(replicas = 1, settings = "max_connections=20")
class DoctorIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("""
                create table customers (id bigint primary key);
                create table orders (id bigint primary key, customer_id bigint not null references customers (id));
                create table lines (id bigint primary key, order_id bigint references orders (id));
                create index on lines (order_id);
                create table pairs (a int, b int, primary key (a, b));
                create table pair_refs (id int primary key, b int, a int, foreign key (a, b) references pairs (a, b));
                create index on pair_refs (b, a);
                create table notes (id int primary key, customer_id bigint references customers (id), day date);
                create index on notes (day, customer_id);
                """);
        cluster.primary().execute("grant select on all tables in schema public to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(10));
    }

    @Test
    void reportsTheUnindexedForeignKeysAndTheExceededBudgetAndExitsNonZero(EmbeddedPostgresCluster cluster) {
        Path file = DoctorRuns.write(dir, "junction.yaml", DoctorRuns.yaml(cluster, cluster.password(), 10, 10, 2));

        DoctorRuns.Run run = DoctorRuns.run(file.toString());

        assertThat(run.exitCode()).isEqualTo(Doctor.CRITICAL);
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("CRITICAL connection budget exceeded on node 'primary': (pools 1 x 10 connections + 1"
                        + " monitor connection) x 2 app instances = 22 > max_connections 20 -"
                        + " superuser_reserved_connections 3 - reservedConnections 3 = 14")
                .contains("connection budget exceeded on node 'replica-1'")
                .contains("157% used  CRITICAL")
                .contains("fix: create index concurrently on orders (customer_id);")
                .contains("fix: create index concurrently on notes (customer_id);")
                .doesNotContain("on lines (").doesNotContain("on pair_refs (")
                .contains("Findings: 2 critical, 2 warning(s)")
                .contains("Critical findings: exit code 1.");
        assertThat(run.out()).containsPattern("primary +primary +up +PostgreSQL 17\\.\\d+ +LSN [0-9A-F]+/[0-9A-F]+"
                + " +connections \\d+/20");
        assertThat(run.out()).containsPattern("replica-1 +replica +up .* lag \\d+ bytes, \\d+\\.\\d s");
        assertThat(run.out()).contains("replica-1: not available: pg_stat_statements is not installed");
    }

    @Test
    void aBudgetOver80PercentIsAWarningAndWarningsAloneExitZero(EmbeddedPostgresCluster cluster) {
        Path file = DoctorRuns.write(dir, "junction.yaml", DoctorRuns.yaml(cluster, cluster.password(), 11, 4, 1));

        DoctorRuns.Run run = DoctorRuns.run(file.toString());

        assertThat(run.exitCode()).isEqualTo(Doctor.OK);
        assertThat(run.out())
                .contains("WARNING  connection budget on node 'primary' is 86% used (over 80%): (pools 1 x 11"
                        + " connections + 1 monitor connection) x 1 app instance = 12 <= max_connections 20 -"
                        + " superuser_reserved_connections 3 - reservedConnections 3 = 14")
                .doesNotContain("on node 'replica-1' is")
                .contains("No critical findings (exit code 0).");
    }

    @Test
    void jsonListsIdleInTransactionAndLongRunningSessionsAndTheForeignKeys(EmbeddedPostgresCluster cluster)
            throws Exception {
        Path file = DoctorRuns.write(dir, "junction.yaml", DoctorRuns.yaml(cluster, cluster.password(), 4, 4, 1));
        try (Connection idle = cluster.primary().connect(); Connection busy = cluster.primary().connect()) {
            idle.setAutoCommit(false);
            int idlePid = pid(idle);
            try (Statement s = idle.createStatement()) {
                s.execute("select count(*) from customers where id > 42");
            }
            int busyPid = pid(busy);
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement s = busy.createStatement()) {
                    s.execute("select pg_sleep(60)");
                } catch (java.sql.SQLException expected) {
                    // cancelled below
                }
            });
            try {
                awaitActive(cluster, busyPid);

                DoctorRuns.Run run = DoctorRuns.run(file.toString(), "--json", "--idle-in-transaction=0s",
                        "--long-running", "0s");

                assertThat(run.exitCode()).isEqualTo(Doctor.OK);
                Map<String, Object> json = run.json();
                assertThat(json).containsEntry("status", "warning").containsEntry("exitCode", 0);
                List<Map<String, Object>> sessions = list(json, "sessions");
                assertThat(sessions).anySatisfy(s -> assertThat(s).containsEntry("pid", idlePid)
                        .containsEntry("node", "primary").containsEntry("state", "idle in transaction")
                        .containsEntry("user", cluster.user())
                        .containsEntry("query", "select count(*) from customers where id > ?"));
                assertThat(sessions).anySatisfy(s -> assertThat(s).containsEntry("pid", busyPid)
                        .containsEntry("state", "active").containsEntry("query", "select pg_sleep(?)"));
                assertThat(list(json, "foreignKeysWithoutIndex")).extracting(k -> k.get("constraint"))
                        .containsExactly("notes_customer_id_fkey", "orders_customer_id_fkey");
                assertThat(list(json, "foreignKeysWithoutIndex").get(1))
                        .containsEntry("table", "orders").containsEntry("columns", List.of("customer_id"))
                        .containsEntry("references", "customers")
                        .containsEntry("fix", "create index concurrently on orders (customer_id);");
                assertThat(list(json, "connectionBudget")).allSatisfy(b -> assertThat(b)
                        .containsEntry("severity", "ok").containsEntry("available", 14));
                assertThat(list(json, "nodes")).extracting(n -> n.get("name"), n -> n.get("observedRole"),
                        n -> n.get("reachable")).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("primary", "primary", true),
                        org.assertj.core.groups.Tuple.tuple("replica-1", "replica", true));
                assertThat(list(json, "findings")).filteredOn(f -> "sessions".equals(f.get("check"))
                        && "warning".equals(f.get("severity"))).hasSizeGreaterThanOrEqualTo(2);
            } finally {
                try (Connection admin = cluster.primary().connectAsSuperuser(); Statement s = admin.createStatement()) {
                    s.execute("select pg_cancel_backend(" + busyPid + ")");
                }
                sleeping.join();
                idle.rollback();
            }
        }
    }

    @Test
    void anUnreachableNodeIsCritical(EmbeddedPostgresCluster cluster) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String yaml = DoctorRuns.yaml(cluster, cluster.password(), 4, 4, 1) .replace("nodes:\n",
                "nodes:\n  - name: replica-9\n    url: jdbc:postgresql://127.0.0.1:" + closedPort + "/junction\n"
                        + "    role: replica\n");
        Path file = DoctorRuns.write(dir, "junction.yaml", yaml);

        DoctorRuns.Run run = DoctorRuns.run(file.toString());

        assertThat(run.exitCode()).isEqualTo(Doctor.CRITICAL);
        assertThat(run.out()).containsPattern("replica-9 +replica +DOWN \\(SQLState 08001: ")
                .contains("CRITICAL node 'replica-9' (127.0.0.1:" + closedPort + "/junction) is not reachable");
    }

    private static int pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitActive(EmbeddedPostgresCluster cluster, int pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"active".equals(cluster.primary().queryValue(
                "select state from pg_stat_activity where pid = ?", pid))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("session " + pid + " never became active");
            }
            Thread.sleep(20);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }
}
