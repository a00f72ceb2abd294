package dev.junction.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 primary and N streaming replicas on this machine, from binaries delivered through Maven (or
 * {@code PG_BIN}), on random free ports in a temporary directory.
 *
 * <p>Guarantees: {@link #close()} stops every server process and deletes the data; a JVM shutdown hook does the same
 * for clusters still open at exit; and a watchdog process stops the servers and deletes the data if the JVM dies
 * without running its hooks (kill -9). When the JVM runs as root the servers run as an unprivileged account (named by
 * the system property {@code junction.pg.user} or the environment variable {@code JUNCTION_PG_USER}, else
 * {@code postgres}, else {@code nobody}). Thread-safe.
 *
 * <pre>{@code
 * try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
 *     cluster.primary().execute("create table t (id int)");
 *     cluster.replicas().get(0).awaitCaughtUp(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class EmbeddedPostgresCluster implements AutoCloseable {
    /** Every port {@link #freePort()} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresCluster.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<EmbeddedPostgresCluster> OPEN = ConcurrentHashMap.newKeySet();
    private static final Thread HOOK = new Thread(() -> List.copyOf(OPEN).forEach(EmbeddedPostgresCluster::close),
            "junction-testkit-shutdown");

    static {
        Runtime.getRuntime().addShutdownHook(HOOK);
    }

    private final Builder config;
    private final Path binDir;
    private final ServerAccount account;
    private final Path baseDirectory;
    private final PgNode primary;
    private final List<PgNode> replicas;
    private final Duration startupTime;
    private volatile @Nullable Process watchdog;
    private volatile boolean closed;

    private EmbeddedPostgresCluster(Builder config) {
        long started = System.nanoTime();
        this.config = config;
        this.binDir = PostgresBinaries.resolve(config.binaries);
        this.account = ServerAccount.detect();
        this.baseDirectory = createBaseDirectory(config.baseDirectory);
        OPEN.add(this);
        try {
            this.watchdog = Watchdog.start(baseDirectory);
            Path template = Template.obtain(binDir, account, config);
            this.primary = new PgNode(this, "primary", baseDirectory.resolve("primary"), freePort(), false);
            List<PgNode> replicaNodes = new ArrayList<>();
            for (int i = 1; i <= config.replicas; i++) {
                replicaNodes.add(new PgNode(this, "replica-" + i, baseDirectory.resolve("replica-" + i), freePort(),
                        true));
            }
            this.replicas = List.copyOf(replicaNodes);
            copyTree(template, primary.dataDirectory());
            for (PgNode replica : replicas) {
                copyTree(template, replica.dataDirectory());
                Files.writeString(replica.dataDirectory().resolve("standby.signal"), "");
                Files.writeString(replica.dataDirectory().resolve("postgresql.auto.conf"),
                        "primary_conninfo = 'host=127.0.0.1 port=" + primary.port() + " user=" + config.superuser
                                + " password=" + config.password + " application_name=" + replica.name() + "'\n",
                        StandardOpenOption.APPEND);
            }
            for (PgNode node : nodes()) {
                appendSettings(node.dataDirectory(), config.settings);
            }
            account.own(baseDirectory);
            primary.start();
            startReplicasConcurrently();
            this.startupTime = Duration.ofNanos(System.nanoTime() - started);
            log.info("PostgreSQL cluster started in {} ms: primary on port {}, {} replica(s), data in {}",
                    startupTime.toMillis(), primary.port(), replicas.size(), baseDirectory);
        } catch (IOException e) {
            close();
            throw new TestkitException("could not prepare the data directories under '" + baseDirectory + "' ("
                    + e + "); choose a writable baseDirectory(...) with free space", e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A builder with defaults: 1 replica, database {@code junction}, user {@code junction}. */
    public static Builder builder() {
        return new Builder();
    }

    public PgNode primary() {
        return primary;
    }

    /** The replicas in order: {@code replica-1}, {@code replica-2}, ... */
    public List<PgNode> replicas() {
        return replicas;
    }

    /** The primary followed by the replicas. */
    public List<PgNode> nodes() {
        List<PgNode> all = new ArrayList<>(replicas.size() + 1);
        all.add(primary);
        all.addAll(replicas);
        return Collections.unmodifiableList(all);
    }

    /** The node with the given name. */
    public PgNode node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named '" + name + "'; nodes are "
                        + nodes().stream().map(PgNode::name).toList()));
    }

    /** The application database every node's JDBC URL points at. */
    public String database() {
        return config.database;
    }

    /** The application user (owner of the application database). */
    public String user() {
        return config.user;
    }

    /** The superuser, for fault controls and administration. */
    public String superuser() {
        return config.superuser;
    }

    /** The password of both the application user and the superuser. */
    public String password() {
        return config.password;
    }

    /** Where the data directories and logs live while the cluster runs. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** How long {@link Builder#start()} took, from resolving binaries until every node accepted connections. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Waits until every running replica has replayed the primary's current WAL position. */
    public void awaitReplication(Duration timeout) {
        for (PgNode replica : replicas) {
            if (replica.isRunning() && replica.isReplica()) {
                replica.awaitCaughtUp(timeout);
            }
        }
    }

    /** Stops every node (fast shutdown), closes proxies, deletes all data. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (replicas != null) {
                // Replicas first so they do not log reconnect attempts against a stopping primary.
                for (PgNode replica : replicas) {
                    stopQuietly(replica);
                }
            }
            if (primary != null) {
                stopQuietly(primary);
            }
            deleteTree(baseDirectory);
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
        return "EmbeddedPostgresCluster" + nodes();
    }

    // --- internals ---

    void startProcess(PgNode node) {
        if (closed) {
            throw new IllegalStateException("cluster is closed; start a new one");
        }
        List<String> command = account.command(List.of(binDir.resolve("postgres").toString(), "-D",
                node.dataDirectory().toString(), "-p", Integer.toString(node.port())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.logFile().toFile()));
        pb.environment().put("LC_ALL", "C");
        try {
            node.attach(pb.start());
        } catch (IOException e) {
            throw new TestkitException("node '" + node.name() + "': could not start " + command.get(0) + " (" + e
                    + "); check that " + binDir + " is readable and executable by the " + account, e);
        }
        awaitReady(node, config.startTimeout);
    }

    private void awaitReady(PgNode node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!node.isRunning()) {
                throw new TestkitException("node '" + node.name() + "' exited during start-up; server log:"
                        + System.lineSeparator() + node.logTail(30));
            }
            try (Connection c = DriverManager.getConnection(node.jdbcUrl() + "?connectTimeout=2", config.superuser,
                    config.password)) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            PgNode.sleep(20);
        }
        throw new TestkitException("node '" + node.name() + "' did not accept connections within "
                + timeout.toMillis() + "ms (last error: " + (last == null ? "none" : last.getMessage())
                + "); raise startTimeout(...) on a slow machine; server log:" + System.lineSeparator()
                + node.logTail(30), last);
    }

    private void startReplicasConcurrently() {
        List<Thread> threads = new ArrayList<>();
        Map<PgNode, RuntimeException> failures = new ConcurrentHashMap<>();
        for (PgNode replica : replicas) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    replica.start();
                } catch (RuntimeException e) {
                    failures.put(replica, e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestkitException("interrupted while starting replicas", e);
            }
        }
        failures.values().stream().findFirst().ifPresent(e -> {
            throw e;
        });
    }

    private static void stopQuietly(PgNode node) {
        try {
            node.closeProxy();
            node.stop();
        } catch (RuntimeException e) {
            log.warn("could not stop node '{}' cleanly; killing it: {}", node.name(), e.toString());
            node.kill();
        }
    }

    private static Path createBaseDirectory(@Nullable Path requested) {
        Path dir = requested;
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("junction-cluster-");
            } else {
                Files.createDirectories(dir);
            }
            // The server account must traverse it when we are root; the data directories inside are 0700.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new TestkitException("could not create the data directory '" + (dir == null
                    ? System.getProperty("java.io.tmpdir") + "/junction-cluster-*" : dir) + "' (" + e
                    + "); pass a writable directory to baseDirectory(...) or point java.io.tmpdir at one", e);
        }
    }

    static int freePort() {
        // The kernel may hand the same ephemeral port to two calls in a row once the first socket is closed: the
        // nodes of one cluster get their ports before any of them listens, and CI once gave a primary and its replica
        // the same one. A port is therefore handed out at most once per JVM.
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new TestkitException("no free TCP port on 127.0.0.1 (" + e + ")", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new TestkitException("no TCP port on 127.0.0.1 that this JVM has not handed out already, after 100"
                + " tries; " + HANDED_OUT.size() + " were handed out");
    }

    private static void appendSettings(Path dataDir, Map<String, String> settings) throws IOException {
        if (settings.isEmpty()) {
            return;
        }
        StringBuilder conf = new StringBuilder(System.lineSeparator()).append("# builder settings")
                .append(System.lineSeparator());
        settings.forEach((k, v) -> conf.append(k).append(" = '").append(v.replace("'", "''")).append("'")
                .append(System.lineSeparator()));
        Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(@Nullable Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("could not delete '{}': {}", root, e.toString());
        }
    }

    /**
     * Options of a cluster. Every setter validates at once and names the field; {@link #start()} starts the cluster.
     * Not thread-safe.
     */
    public static final class Builder {
        private int replicas = 1;
        private String database = "junction";
        private String user = "junction";
        private String superuser = "postgres";
        private String password = "junction";
        private @Nullable Path binaries;
        private @Nullable Path baseDirectory;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Number of streaming replicas (0 or more; default 1). */
        public Builder replicas(int count) {
            if (count < 0 || count > 16) {
                throw new IllegalArgumentException("replicas must be between 0 and 16, but was " + count);
            }
            this.replicas = count;
            return this;
        }

        /** A server setting for every node, e.g. {@code setting("max_connections", "50")}. */
        public Builder setting(String name, String value) {
            if (!name.matches("[a-z_][a-z0-9_.]*")) {
                throw new IllegalArgumentException("setting name must be a PostgreSQL parameter name such as"
                        + " max_connections, but was '" + name + "'");
            }
            settings.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Name of the application database (default {@code junction}). */
        public Builder database(String name) {
            this.database = identifier("database", name);
            return this;
        }

        /** Name of the application user, owner of the database (default {@code junction}). */
        public Builder user(String name) {
            this.user = identifier("user", name);
            return this;
        }

        /** Name of the superuser (default {@code postgres}). */
        public Builder superuser(String name) {
            this.superuser = identifier("superuser", name);
            return this;
        }

        /** Password of the application user and the superuser (default {@code junction}). */
        public Builder password(String value) {
            if (value.isEmpty() || value.contains("'") || value.contains("\\") || value.contains(" ")) {
                throw new IllegalArgumentException("password must be non-empty without quotes, backslashes or"
                        + " spaces (it is written into primary_conninfo)");
            }
            this.password = value;
            return this;
        }

        /** Use the PostgreSQL binaries in this bin directory instead of PG_BIN or the bundled ones. */
        public Builder binaries(Path binDirectory) {
            this.binaries = Objects.requireNonNull(binDirectory, "binDirectory");
            return this;
        }

        /** Put data directories and logs here instead of a new temporary directory. Deleted on close. */
        public Builder baseDirectory(Path directory) {
            this.baseDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** How long a node may take to accept connections (default 60s). */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be > 0ms, but was " + timeout.toMillis()
                        + "ms");
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the primary and the replicas and waits until all accept connections.
         *
         * @throws TestkitException with what went wrong and how to fix it; nothing is left running
         */
        public EmbeddedPostgresCluster start() {
            return new EmbeddedPostgresCluster(this.copy());
        }

        private Builder copy() {
            Builder b = new Builder();
            b.replicas = replicas;
            b.database = database;
            b.user = user;
            b.superuser = superuser;
            b.password = password;
            b.binaries = binaries;
            b.baseDirectory = baseDirectory;
            b.startTimeout = startTimeout;
            b.settings.putAll(settings);
            return b;
        }

        String templateKey(Path binDir) {
            return String.join("|", binDir.toString(), database, user, superuser, password)
                    + "|" + standbyCriticalSettings();
        }

        /**
         * The settings a standby must not set lower than its primary. pg_control records them at the last shutdown,
         * and a standby copied from the template checks its own values against those before it replays anything, so
         * the template is shut down with the cluster's values.
         */
        Map<String, String> standbyCriticalSettings() {
            Map<String, String> critical = new TreeMap<>();
            settings.forEach((k, v) -> {
                if (STANDBY_CRITICAL.contains(k)) {
                    critical.put(k, v);
                }
            });
            return critical;
        }

        private static final Set<String> STANDBY_CRITICAL = Set.of("max_connections",
                "max_worker_processes", "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction");

        String database() {
            return database;
        }

        String user() {
            return user;
        }

        String superuser() {
            return superuser;
        }

        String password() {
            return password;
        }

        private static String identifier(String field, String value) {
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must be a plain SQL identifier (letters, digits,"
                        + " underscore; not starting with a digit), but was '" + value + "'");
            }
            return value;
        }
    }

    /** Superuser SQL during template creation, on the maintenance database. */
    static void runAsSuperuser(int port, Builder config, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                config.superuser(), config.password()); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
