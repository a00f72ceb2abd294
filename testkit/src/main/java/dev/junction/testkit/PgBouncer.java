package dev.junction.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer in {@code pool_mode = transaction} in front of nodes of an {@link EmbeddedPostgresCluster}, on a
 * random free port, with its ini file and user list in a temporary directory. Each node is one PgBouncer database
 * named like the node ({@code replica-1} becomes {@code replica_1}); {@link #jdbcUrl(PgNode)} gives the URL.
 *
 * <p>Needs the {@code pgbouncer} binary (Debian package {@code pgbouncer}): {@code junction.pgbouncer} /
 * {@code PGBOUNCER} if set, else {@code /usr/sbin/pgbouncer} or {@code /usr/bin/pgbouncer}. Tests call
 * {@link #assumeAvailable()}: they skip without the binary, except under CI where they fail. When the JVM runs as
 * root, PgBouncer (which refuses root) runs as the same unprivileged account as the cluster's servers.
 *
 * <p>Guarantees: {@link #close()} stops the process and deletes the directory; a JVM shutdown hook does the same for
 * instances still open at exit, and a watchdog process kills PgBouncer if the JVM dies without running its hooks.
 * Thread-safe.
 *
 * <pre>{@code
 * try (PgBouncer bouncer = PgBouncer.builder(cluster).start()) {
 *     String url = bouncer.jdbcUrl(cluster.primary());   // jdbc:postgresql://127.0.0.1:<port>/primary
 * }
 * }</pre>
 */
public final class PgBouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgBouncer.class);
    private static final Set<PgBouncer> OPEN = ConcurrentHashMap.newKeySet();
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/pgbouncer"),
            Path.of("/usr/bin/pgbouncer"), Path.of("/usr/local/bin/pgbouncer"));

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(PgBouncer::close),
                "junction-pgbouncer-shutdown"));
    }

    private final EmbeddedPostgresCluster cluster;
    private final Path directory;
    private final int port;
    private final Map<String, String> aliases;
    private final Path logFile;
    private volatile @Nullable Process process;
    private volatile @Nullable Process watchdog;
    private volatile boolean closed;

    private PgBouncer(Builder b, Path binary) {
        this.cluster = b.cluster;
        this.port = EmbeddedPostgresCluster.freePort();
        this.aliases = new LinkedHashMap<>();
        for (PgNode node : b.nodes) {
            aliases.put(node.name(), node.name().replaceAll("[^A-Za-z0-9_]", "_"));
        }
        ServerAccount account = ServerAccount.detect();
        try {
            this.directory = Files.createTempDirectory("junction-pgbouncer-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            this.logFile = directory.resolve("pgbouncer.log");
        } catch (IOException e) {
            throw new TestkitException("could not create a directory for PgBouncer (" + e + "); point java.io.tmpdir"
                    + " at a writable directory", e);
        }
        OPEN.add(this);
        try {
            Path ini = directory.resolve("pgbouncer.ini");
            Files.writeString(ini, ini(b));
            Files.writeString(directory.resolve("userlist.txt"), "\"" + cluster.user() + "\" \""
                    + cluster.password() + "\"\n\"" + cluster.superuser() + "\" \"" + cluster.password() + "\"\n");
            account.own(directory);
            List<String> command = account.command(List.of(binary.toString(), ini.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Process p = pb.start();
            this.process = p;
            this.watchdog = startWatchdog(p.pid());
            awaitReady(b.nodes.get(0), b.startTimeout);
            log.info("PgBouncer started on port {} in transaction mode for {} (pool size {})", port,
                    aliases.keySet(), b.defaultPoolSize);
        } catch (IOException e) {
            close();
            throw new TestkitException("could not start PgBouncer " + binary + " (" + e + ")", e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The PgBouncer binary to use, if one is installed. */
    public static Optional<Path> binary() {
        String configured = System.getProperty("junction.pgbouncer", System.getenv("PGBOUNCER"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** True when a PgBouncer binary is installed; tests that need one should skip otherwise. */
    public static boolean available() {
        return binary().isPresent();
    }

    /**
     * Skips the calling test, with {@link #unavailableReason()}, when PgBouncer is not installed on a developer's
     * machine; fails it with the same reason under CI ({@code CI=true}), so that CI cannot go green without running the
     * PgBouncer tests (issue 24). Call it first in a test or in {@code @BeforeAll}.
     *
     * @throws TestkitException under CI when PgBouncer is not installed
     */
    public static void assumeAvailable() {
        assumeAvailable(available(), "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** {@link #assumeAvailable()} with the facts passed in, so the CI rule is testable without a CI environment. */
    static void assumeAvailable(boolean available, boolean ci) {
        if (available) {
            return;
        }
        if (ci) {
            throw new TestkitException(unavailableReason() + "; CI=true, so the PgBouncer tests must run and this is a"
                    + " failure, not a skip");
        }
        Assumptions.assumeTrue(false, PgBouncer::unavailableReason);
    }

    /** Why PgBouncer tests cannot run here, for {@code Assumptions.assumeTrue(available(), unavailableReason())}. */
    public static String unavailableReason() {
        return "PgBouncer is not installed (looked for " + CANDIDATES + ", junction.pgbouncer and PGBOUNCER); install"
                + " the Debian package 'pgbouncer' (the CI script .ci/run does)";
    }

    /** A builder for a PgBouncer in front of every node of {@code cluster}. */
    public static Builder builder(EmbeddedPostgresCluster cluster) {
        return new Builder(cluster);
    }

    /** The JDBC URL of {@code node}'s application database through this PgBouncer; no credentials in it. */
    public String jdbcUrl(PgNode node) {
        String alias = aliases.get(node.name());
        if (alias == null) {
            throw new IllegalArgumentException("node '" + node.name() + "' is not behind this PgBouncer; it fronts "
                    + aliases.keySet());
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + alias;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** PgBouncer's log (its stderr), kept until {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** True while the PgBouncer process is alive. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Stops PgBouncer (immediate shutdown, then SIGKILL) and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM: PgBouncer's immediate shutdown
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
            EmbeddedPostgresCluster.deleteTree(directory);
        } finally {
            Process w = watchdog;
            if (w != null) {
                w.destroy();
            }
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return "PgBouncer[127.0.0.1:" + port + " " + aliases.keySet() + (isRunning() ? " running" : " stopped") + "]";
    }

    private String ini(Builder b) {
        StringBuilder sb = new StringBuilder("; Written by the Junction testkit: transaction pooling for tests.\n")
                .append("[databases]\n");
        for (PgNode node : b.nodes) {
            sb.append(aliases.get(node.name())).append(" = host=").append(node.host()).append(" port=")
                    .append(node.port()).append(" dbname=").append(cluster.database()).append('\n');
        }
        sb.append("\n[pgbouncer]\n")
                .append("listen_addr = 127.0.0.1\n")
                .append("listen_port = ").append(port).append('\n')
                .append("unix_socket_dir =\n")
                .append("auth_type = scram-sha-256\n")
                .append("auth_file = ").append(directory.resolve("userlist.txt")).append('\n')
                .append("pool_mode = transaction\n")
                .append("default_pool_size = ").append(b.defaultPoolSize).append('\n')
                .append("min_pool_size = 0\n")
                .append("reserve_pool_size = 0\n")
                .append("max_client_conn = ").append(b.maxClientConnections).append('\n')
                // pgJDBC always sends extra_float_digits in its start-up packet; PgBouncer must drop it.
                .append("ignore_startup_parameters = extra_float_digits\n")
                // Retry a failed server login after 1s, not 15s, so a restarted node is reachable again quickly.
                .append("server_login_retry = 1\n")
                .append("log_connections = 0\n")
                .append("log_disconnections = 0\n")
                .append("log_pooler_errors = 1\n");
        return sb.toString();
    }

    private void awaitReady(PgNode node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new TestkitException("PgBouncer exited during start-up; its log:" + System.lineSeparator()
                        + tail());
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(node) + "?prepareThreshold=0&connectTimeout=2",
                    cluster.user(), cluster.password()); Statement s = c.createStatement()) {
                s.execute("select 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            PgNode.sleep(20);
        }
        throw new TestkitException("PgBouncer did not serve a query within " + timeout.toMillis() + "ms (last error: "
                + (last == null ? "none" : last.getMessage()) + "); its log:" + System.lineSeparator() + tail(), last);
    }

    private String tail() {
        try {
            List<String> lines = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private @Nullable Process startWatchdog(long pid) {
        String script = """
                jvm=$1; pid=$2; dir=$3
                while kill -0 "$jvm" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
                [ -d "$dir" ] || exit 0
                kill -KILL "$pid" 2>/dev/null
                rm -rf "$dir"
                """;
        try {
            return new ProcessBuilder("sh", "-c", script, "junction-pgbouncer-watchdog",
                    Long.toString(ProcessHandle.current().pid()), Long.toString(pid), directory.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            log.warn("no watchdog for PgBouncer ({}); it may outlive a JVM killed with SIGKILL", e.toString());
            return null;
        }
    }

    /** Options of a PgBouncer; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private final EmbeddedPostgresCluster cluster;
        private final List<PgNode> nodes = new ArrayList<>();
        private int defaultPoolSize = 4;
        private int maxClientConnections = 200;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder(EmbeddedPostgresCluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
        }

        /** The nodes to put behind PgBouncer (default: every node of the cluster). */
        public Builder nodes(PgNode... fronted) {
            nodes.clear();
            nodes.addAll(List.of(fronted));
            return this;
        }

        /** Server connections per database and user (PgBouncer's {@code default_pool_size}, default 4). */
        public Builder defaultPoolSize(int size) {
            if (size < 1 || size > 1000) {
                throw new IllegalArgumentException("defaultPoolSize must be between 1 and 1000, but was " + size);
            }
            this.defaultPoolSize = size;
            return this;
        }

        /** Client connections PgBouncer accepts ({@code max_client_conn}, default 200). */
        public Builder maxClientConnections(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxClientConnections must be >= 1, but was " + count);
            }
            this.maxClientConnections = count;
            return this;
        }

        /**
         * Starts PgBouncer and waits until it serves a query on the first node.
         *
         * @throws TestkitException when the binary is missing or PgBouncer does not come up; nothing is left running
         */
        public PgBouncer start() {
            if (nodes.isEmpty()) {
                nodes.addAll(cluster.nodes());
            }
            Path binary = binary().orElseThrow(() -> new TestkitException(unavailableReason()));
            return new PgBouncer(this, binary);
        }
    }
}
