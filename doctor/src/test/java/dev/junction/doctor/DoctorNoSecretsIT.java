package dev.junction.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.LogCapture;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, the doctor's share (routing's NoSecretsIT covers the router): no password (in the file, in a URL, or a
 * wrong one the server refuses) and no literal of a statement the doctor reads from {@code pg_stat_activity} appears
 * in its text or JSON report, its error output, or anything logged on System.err (slf4j-simple) or through
 * java.util.logging (pgjdbc) at INFO and above while it runs.
 */
class DoctorNoSecretsIT {
    private static final String PASSWORD = "Pw-7q2ZxK9-secret";
    private static final String WRONG_PASSWORD = "Wrong-4kLm8-secret";
    private static final String LITERAL = "bind-9Fh2-value";

    private static EmbeddedPostgresCluster cluster;

    @TempDir
    Path dir;

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
    void noPasswordOrStatementLiteralReachesTheDoctorsReportsErrorsOrLogs() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String primaryUrl = cluster.primary().jdbcUrl();
        List<DoctorRuns.Run> runs = new ArrayList<>();
        try (LogCapture log = new LogCapture(); JulCapture jul = new JulCapture();
             Connection idle = cluster.primary().connect()) {
            // a session idle in a transaction whose last statement carries the literal inline
            idle.setAutoCommit(false);
            try (Statement s = idle.createStatement()) {
                s.execute("select label from secrets_t where label = '" + LITERAL + "'");
            }

            DoctorRuns.Run inUrl = run(yaml(PASSWORD, primaryUrl + "?password=" + PASSWORD, closedPort));
            DoctorRuns.Run refused = run(yaml(WRONG_PASSWORD, primaryUrl, closedPort));
            DoctorRuns.Run text = run(yaml(PASSWORD, primaryUrl, closedPort), "--idle-in-transaction=0s");
            DoctorRuns.Run json = run(yaml(PASSWORD, primaryUrl, closedPort), "--idle-in-transaction=0s", "--json");
            runs.addAll(List.of(inUrl, refused, text, json));
            idle.rollback();

            assertThat(inUrl.exitCode()).isEqualTo(Doctor.USAGE);
            assertThat(inUrl.err()).contains("carries credentials in its parameters");
            assertThat(refused.exitCode()).isEqualTo(Doctor.CRITICAL);
            assertThat(refused.out()).contains("refused the doctor").contains("28P01");
            assertThat(text.exitCode()).as("replica-9 is down").isEqualTo(Doctor.CRITICAL);
            assertThat(text.out()).contains("replica-9").contains("select label from secrets_t where label = ?");
            assertThat(json.out()).contains("select label from secrets_t where label = ?");

            StringBuilder everything = new StringBuilder(log.text()).append(jul.text());
            runs.forEach(r -> everything.append(r.out()).append(r.err()));
            for (String secret : List.of(PASSWORD, WRONG_PASSWORD, LITERAL)) {
                assertThat(everything.toString()).as("everything the doctor wrote").doesNotContain(secret);
            }
        }
    }

    private DoctorRuns.Run run(String yaml, String... options) {
        Path file = DoctorRuns.write(dir, "junction-" + System.nanoTime() + ".yaml", yaml);
        List<String> args = new ArrayList<>(List.of(file.toString()));
        args.addAll(List.of(options));
        return DoctorRuns.run(args.toArray(String[]::new));
    }

    private static String yaml(String password, String primaryUrl, int closedPort) {
        // A monitor timeout (the doctor's connect and login timeout) far above the default 1 s: on a loaded machine
        // the primary's login alone took longer, and the run then had no statements to show. replica-9's closed port
        // is refused at once, so the longer timeout costs nothing.
        return "credentials:\n  user: " + cluster.user() + "\n  password: " + password + "\n"
                + "monitor:\n  timeout: 10s\nnodes:\n"
                + "  - name: primary\n    url: " + primaryUrl + "\n    role: primary\n"
                + "  - name: replica-1\n    url: " + cluster.replicas().get(0).jdbcUrl() + "\n    role: replica\n"
                + "  - name: replica-9\n    url: jdbc:postgresql://127.0.0.1:" + closedPort + "/junction\n"
                + "    role: replica\n";
    }

    /** Every java.util.logging record at INFO or above (pgjdbc logs there), formatted with its exception. */
    private static final class JulCapture extends Handler implements AutoCloseable {
        private final StringBuilder text = new StringBuilder();
        private final Logger root = Logger.getLogger("");

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
