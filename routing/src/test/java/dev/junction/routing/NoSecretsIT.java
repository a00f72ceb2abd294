package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.metrics.UnitMetrics;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.LogCapture;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: no password (in a URL or in the configuration) and no bind value appears in any log line, meter tag,
 * exception message or topology snapshot of the routing layer. Everything written to System.err (slf4j-simple, with
 * dev.junction at DEBUG in this module's tests) and every java.util.logging record (pgjdbc) at INFO and above is
 * captured while the cluster is used in every way that produces messages: refused configurations, a refused login, a
 * node down, failing and slow statements with bind values, meters. The doctor's share of issue 7 is
 * junction-doctor's DoctorNoSecretsIT.
 */
class NoSecretsIT {
    private static final String PASSWORD = "Pw-7q2ZxK9-secret";
    private static final String WRONG_PASSWORD = "Wrong-4kLm8-secret";
    private static final String BIND_TEXT = "bind-9Fh2-value";
    private static final long BIND_NUMBER = 48151623L;

    private static EmbeddedPostgresCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(1).password(PASSWORD).start();
        cluster.primary().execute("create table secrets_t (id bigint primary key, label text not null)");
        cluster.primary().execute("grant all on secrets_t to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void noPasswordOrBindValueReachesLogsMetersMessagesOrTopology() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String primaryUrl = cluster.primary().jdbcUrl();
        String userInfoUrl = primaryUrl.replace("jdbc:postgresql://", "jdbc:postgresql://" + cluster.user() + ":"
                + PASSWORD + "@");
        List<String> messages = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LogCapture log = new LogCapture(); JulCapture jul = new JulCapture()) {
            // the password in a URL: as a parameter and as user info, in the file and in the builder
            messages.add(failure(() -> ConfigLoader.parse(yaml(PASSWORD, primaryUrl + "?password=" + PASSWORD),
                    "junction.yaml", Map.of())));
            messages.add(failure(() -> ConfigLoader.parse(yaml(PASSWORD, userInfoUrl), "junction.yaml", Map.of())));
            messages.add(failure(() -> ClusterRouter.create(RoutingConfig.builder()
                    .credentials(cluster.user(), PASSWORD).node(NodeConfig.primary("primary", userInfoUrl)).build())));
            // a refused login, with the wrong password in the configuration
            messages.add(failure(() -> ClusterRouter.create(config(WRONG_PASSWORD, closedPort).build())));

            ClusterRouter router = ClusterRouter.create(config(PASSWORD, closedPort).skipDownNodesAtStart(true)
                    .build());
            try (Database db = Junction.builder().router(router).unitListener(new UnitMetrics(registry))
                    .slowStatementThreshold(Duration.ofNanos(1)).build()) {
                RoutingMetrics metrics = RoutingMetrics.bind(router, registry);
                db.read(ctx -> ctx.fetch("select label from secrets_t where label <> ?", BIND_TEXT));
                db.write(ctx -> ctx.execute("insert into secrets_t values (?, ?)", BIND_NUMBER, BIND_TEXT));
                // the server's DETAIL quotes the duplicate key
                messages.add(failure(() -> db.write(ctx -> ctx.execute("insert into secrets_t values (?, ?)",
                        BIND_NUMBER, BIND_TEXT))));
                messages.add(failure(() -> db.write(ctx -> ctx.batch(ctx.query(
                                "insert into secrets_t values (?, ?)", (Object) null, null))
                        .bind(BIND_NUMBER + 1, BIND_TEXT).bind(BIND_NUMBER, BIND_TEXT).execute())));
                messages.add(failure(() -> db.read(ctx -> ctx.execute(
                        "update secrets_t set label = ? where id = ?", BIND_TEXT, BIND_NUMBER))));
                messages.add(failure(() -> db.write(Duration.ofMillis(100), ctx -> ctx.fetch(
                        "select pg_sleep(5), ?::text", BIND_TEXT))));
                outputs.add(router.topology().snapshot().toString());
                outputs.add(tagValues(registry));
                metrics.close();
            }

            String logs = log.text() + jul.text();
            assertThat(log.lines("slow statement")).as("the capture sees Junction's log lines")
                    .hasSizeGreaterThanOrEqualTo(5);
            assertThat(log.lines("slow statement")).filteredOn(l -> l.contains("bind value"))
                    .hasSizeGreaterThanOrEqualTo(3).allSatisfy(l -> assertThat(l).contains("redacted"));
            assertThat(logs).contains("node 'replica-9'").contains("not reachable");
            assertThat(messages).hasSize(8).allSatisfy(m -> assertThat(m).isNotBlank());
            assertThat(messages.get(0)).contains("carries credentials in its parameters");
            assertThat(messages.get(1)).contains("carries credentials before its host");
            assertThat(messages.get(3)).contains("refused the connection").contains("28P01");
            assertThat(messages.get(4)).contains("duplicate key").doesNotContain("Detail");
            assertThat(outputs.get(0)).contains("replica-9");

            String everything = String.join("\n", logs, String.join("\n", messages), String.join("\n", outputs));
            for (String secret : List.of(PASSWORD, WRONG_PASSWORD, BIND_TEXT, Long.toString(BIND_NUMBER),
                    Long.toString(BIND_NUMBER + 1))) {
                assertThat(everything).as("everything Junction wrote").doesNotContain(secret);
            }
        }
    }

    private RoutingConfig.Builder config(String password, int closedPort) {
        return Clusters.config(cluster).credentials(cluster.user(), password)
                .node(NodeConfig.replica("replica-9", "jdbc:postgresql://127.0.0.1:" + closedPort + "/junction"));
    }

    private String yaml(String password, String primaryUrl) {
        return "credentials:\n  user: " + cluster.user() + "\n  password: " + password + "\nnodes:\n"
                + "  - name: primary\n    url: " + primaryUrl + "\n    role: primary\n"
                + "  - name: replica-1\n    url: " + cluster.replicas().get(0).jdbcUrl() + "\n    role: replica\n";
    }

    /** The whole failure as it would be logged: every message of the cause chain and the suppressed ones. */
    private static String failure(ThrowingRunnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            return w.toString();
        }
        return "";
    }

    private static String tagValues(SimpleMeterRegistry registry) {
        List<String> values = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).distinct().toList();
        assertThat(values).contains("junction-primary", "replica-1", "SELECT");
        return String.join("\n", values);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Every java.util.logging record at INFO or above (pgjdbc logs there), formatted with its exception. */
    private static final class JulCapture extends Handler implements AutoCloseable {
        private final StringBuilder text = new StringBuilder();
        private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");

        JulCapture() {
            setLevel(Level.INFO);
            setFormatter(new SimpleFormatter());
            root.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                text.append(getFormatter().format(record));
            }
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
        }
    }
}
