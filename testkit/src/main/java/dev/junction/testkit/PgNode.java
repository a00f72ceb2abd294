package dev.junction.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server of an {@link EmbeddedPostgresCluster}: its address, SQL access as superuser, and fault
 * controls (stop, kill -9, start, pause/resume replay, promote). A node keeps its port across restarts, so JDBC URLs
 * handed out stay valid. The replay controls and {@link #follow} succeed while the replica serves reads under load:
 * they retry the replica's cancellations for conflicts with recovery. Thread-safe: control methods are serialised per
 * node.
 */
public final class PgNode {
    private static final Logger log = LoggerFactory.getLogger(PgNode.class);
    private static final String HOST = "127.0.0.1";
    /** How long a fault control retries conflicts with recovery; replay under load ends them within seconds. */
    private static final Duration CONTROL_RETRY = Duration.ofSeconds(30);

    private final EmbeddedPostgresCluster cluster;
    private final String name;
    private final Path dataDirectory;
    private final Path logFile;
    private volatile int port;
    private volatile @Nullable Process process;
    private volatile boolean replica;
    private volatile @Nullable PgNode upstream;
    private @Nullable TcpProxy proxy;

    PgNode(EmbeddedPostgresCluster cluster, String name, Path dataDirectory, int port, boolean replica) {
        this.cluster = cluster;
        this.name = name;
        this.dataDirectory = dataDirectory;
        this.logFile = dataDirectory.resolveSibling(name + ".log");
        this.port = port;
        this.replica = replica;
    }

    /** {@code primary}, {@code replica-1}, {@code replica-2}, ... */
    public String name() {
        return name;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** JDBC URL of the cluster's application database on this node; credentials are not part of the URL. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + cluster.database();
    }

    /** True when this node was started as a streaming replica and has not been promoted since. */
    public boolean isReplica() {
        return replica;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The server log of this node (stderr of the postmaster). */
    public Path logFile() {
        return logFile;
    }

    /** True while the server process of this node is alive. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Process id of the postmaster, while running. */
    public Optional<Long> pid() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
    }

    /** A new connection to the application database as the application user. The caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), cluster.user(), cluster.password());
    }

    /** A new connection to the application database as the superuser. The caller closes it. */
    public Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), cluster.superuser(), cluster.password());
    }

    /** Runs one SQL statement as superuser and returns its update count (0 for statements without one). */
    public int execute(String sql) {
        try (Connection c = connectAsSuperuser(); Statement s = c.createStatement()) {
            boolean rows = s.execute(sql);
            return rows ? 0 : Math.max(0, s.getUpdateCount());
        } catch (SQLException e) {
            throw new TestkitException("node '" + name + "': statement failed: " + e.getMessage(), e);
        }
    }

    /** Runs a query as superuser; each row is a map from column label to value, in column order. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection c = connectAsSuperuser(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new TestkitException("node '" + name + "': query failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query run as superuser, or null when there is no row. */
    public @Nullable Object queryValue(String sql, Object... parameters) {
        List<Map<String, Object>> rows = query(sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /** True when the server is in recovery (a standby). Queries the server. */
    public boolean inRecovery() {
        return Boolean.TRUE.equals(queryValue("select pg_is_in_recovery()"));
    }

    /**
     * The node's current WAL position: the insert position on a primary, the replay position on a replica.
     */
    public String walPosition() {
        return String.valueOf(queryValue("select case when pg_is_in_recovery() then pg_last_wal_replay_lsn()"
                + " else pg_current_wal_insert_lsn() end::text"));
    }

    /** Starts the server and waits until it accepts connections. No-op when already running. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        cluster.startProcess(this);
    }

    /** Fast shutdown (SIGINT): sessions are disconnected, the server checkpoints and exits. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        signal(p.pid(), "INT");
        if (!waitFor(p, Duration.ofSeconds(30))) {
            signal(p.pid(), "QUIT");
            if (!waitFor(p, Duration.ofSeconds(5))) {
                p.destroyForcibly();
            }
        }
        awaitGone(children);
        process = null;
    }

    /**
     * Crashes the node like a power cut: SIGKILL to the postmaster and every backend, then waits until all are gone.
     * The next {@link #start()} performs crash recovery.
     */
    public synchronized void kill() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        waitFor(p, Duration.ofSeconds(10));
        awaitGone(children);
        process = null;
    }

    /** Stops and starts the node (fast shutdown). */
    public void restart() {
        stop();
        start();
    }

    /** Pauses WAL replay on this replica: it keeps receiving WAL but its data stops advancing. */
    public void pauseReplay() {
        requireReplica("pauseReplay");
        control("select pg_wal_replay_pause()");
        awaitCondition(Duration.ofSeconds(10), "replay paused",
                () -> "paused".equals(String.valueOf(queryValue("select pg_get_wal_replay_pause_state()"))));
    }

    /** Resumes WAL replay on this replica. */
    public void resumeReplay() {
        requireReplica("resumeReplay");
        control("select pg_wal_replay_resume()");
    }

    /** Promotes this replica to a primary and waits until it accepts writes. */
    public synchronized void promote() {
        requireReplica("promote");
        Object promoted = queryValue("select pg_promote(true, 60)");
        if (!Boolean.TRUE.equals(promoted)) {
            throw new TestkitException("node '" + name + "': promotion did not finish within 60s; see " + logFile);
        }
        replica = false;
    }

    /**
     * Re-points this running replica at another primary, typically a replica promoted after the primary failed, as
     * Patroni does: rewrites {@code primary_conninfo} and reloads the configuration, and the replica then follows the
     * new primary's timeline ({@code recovery_target_timeline = 'latest'}). A replica that replayed WAL past the
     * point where the new primary's timeline forked off cannot follow it (PostgreSQL refuses; it needs pg_rewind or
     * a rebuild): check with {@code awaitCaughtUp}. {@link #awaitCaughtUp} compares with {@code newPrimary} from now
     * on.
     *
     * @throws IllegalStateException when this node is not a running replica or {@code newPrimary} is not a primary
     */
    public synchronized void follow(PgNode newPrimary) {
        requireReplica("follow");
        if (newPrimary.isReplica() || newPrimary == this) {
            throw new IllegalStateException("follow needs a primary to follow, but node '" + newPrimary.name()
                    + "' is " + (newPrimary == this ? "this node" : "a replica") + "; promote() it first");
        }
        if (!isRunning()) {
            throw new IllegalStateException("follow needs a running replica, but node '" + name + "' is stopped;"
                    + " start() it first");
        }
        execute("alter system set primary_conninfo = 'host=" + HOST + " port=" + newPrimary.port() + " user="
                + cluster.superuser() + " password=" + cluster.password() + " application_name=" + name + "'");
        control("select pg_reload_conf()");
        this.upstream = newPrimary;
    }

    /**
     * Waits until this replica has replayed the WAL position its primary has now (the cluster's primary, or the one
     * given to {@link #follow}), i.e. sees every transaction committed there before this call.
     *
     * @throws TestkitException when the replica does not catch up within {@code timeout}, naming both positions
     */
    public void awaitCaughtUp(Duration timeout) {
        requireReplica("awaitCaughtUp");
        PgNode source = upstream;
        String target = (source != null ? source : cluster.primary()).walPosition();
        awaitCondition(timeout, "replay position reaching " + target, () -> Boolean.TRUE.equals(queryValue(
                "select pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ?::pg_lsn) >= 0", target)));
    }

    /**
     * A {@link TcpProxy} in front of this node, created on first use and closed with the cluster. Connect through
     * {@link #proxiedJdbcUrl()} to add latency or cut the network.
     */
    public synchronized TcpProxy proxy() {
        if (proxy == null) {
            proxy = TcpProxy.start(HOST, port);
        }
        return proxy;
    }

    /** JDBC URL of the application database through this node's {@link #proxy()}. */
    public String proxiedJdbcUrl() {
        TcpProxy p = proxy();
        return "jdbc:postgresql://" + p.host() + ":" + p.port() + "/" + cluster.database();
    }

    @Override
    public String toString() {
        return "PgNode[" + name + " " + HOST + ":" + port + (replica ? " replica" : " primary")
                + (isRunning() ? " running" : " stopped") + "]";
    }

    // --- package-private plumbing used by the cluster ---

    void attach(Process p) {
        this.process = p;
    }


    synchronized void closeProxy() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no server log at " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(server log unreadable: " + e + ")";
        }
    }

    /**
     * Runs an idempotent fault control (pause, resume, reload) as superuser, retrying while a replica cancels it for a
     * conflict with recovery (SQLState 40001): replay that resumes, or catches up under load, cancels any query whose
     * snapshot it conflicts with, the control's own query and its connection's start-up included (issue 24). A control
     * that could fail that way would make every test that uses it flaky. Other errors fail at once.
     */
    private void control(String sql) {
        long deadline = System.nanoTime() + CONTROL_RETRY.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                queryValue(sql);
                return;
            } catch (TestkitException e) {
                if (!conflictsWithRecovery(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                log.debug("node '{}': {} cancelled by a conflict with recovery (attempt {}); retrying", name, sql,
                        attempt);
                sleep(Math.min(100, 5L * attempt));
            }
        }
    }

    private static boolean conflictsWithRecovery(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void requireReplica(String operation) {
        if (!replica) {
            throw new IllegalStateException(operation + " needs a replica, but node '" + name + "' is a primary");
        }
    }

    private void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        TestkitException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (TestkitException e) {
                last = e;
            }
            sleep(10);
        }
        throw new TestkitException("node '" + name + "': timed out after " + timeout.toMillis() + "ms waiting for "
                + what + "; is replication running? see " + logFile, last);
    }

    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return false;
        }
    }

    private static void awaitGone(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle h : processes) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(5);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while waiting", e);
        }
    }
}
