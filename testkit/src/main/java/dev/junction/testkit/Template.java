package dev.junction.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A cleanly shut-down data directory with the cluster's roles, database and replication settings, copied for every
 * node of every cluster. Copying a cleanly shut-down directory is what lets a replica start streaming without
 * pg_basebackup, which the Maven bundle lacks. Templates are cached on disk per OS user and per (binaries, names,
 * password, server settings) in {@code java.io.tmpdir/junction-pg-templates-<user>}, built under a file lock and
 * published by an atomic rename, so concurrent JVMs build each template once and never see a half-made one.
 */
final class Template {
    private static final Map<String, Path> CACHE = new ConcurrentHashMap<>();

    private Template() {
    }

    static synchronized Path obtain(Path binDir, ServerAccount account, EmbeddedPostgresCluster.Builder config) {
        String key = config.templateKey(binDir) + "|" + BASE_SETTINGS + "|" + HBA;
        Path cached = CACHE.get(key);
        if (cached != null && Files.isDirectory(cached)) {
            return cached;
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "junction-pg-templates-"
                + System.getProperty("user.name"));
        Path dir = root.resolve(hash(key));
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (FileChannel channel = FileChannel.open(root.resolve(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.isDirectory(dir)) {
                    build(binDir, account, config, root, dir);
                }
            }
            CACHE.put(key, dir);
            return dir;
        } catch (IOException e) {
            throw new TestkitException("could not create the data directory '" + dir + "' (" + e
                    + "); point java.io.tmpdir at a writable local directory", e);
        }
    }

    private static void build(Path binDir, ServerAccount account, EmbeddedPostgresCluster.Builder config, Path root,
            Path dir) throws IOException {
        Path work = root.resolve(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Path pwfile = root.resolve(dir.getFileName() + ".pw-" + ProcessHandle.current().pid());
        EmbeddedPostgresCluster.deleteTree(work);
        try {
            Files.createDirectories(work);
            Files.writeString(pwfile, config.password() + System.lineSeparator());
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-r--r--"));
            account.own(work);
            run(account, List.of(binDir.resolve("initdb").toString(), "-D", work.toString(), "-U",
                    config.superuser(), "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C",
                    "--no-sync", "--no-instructions"), "initdb");
            StringBuilder critical = new StringBuilder();
            config.standbyCriticalSettings().forEach((k, v) -> critical.append(k).append(" = '").append(v)
                    .append("'").append(System.lineSeparator()));
            Files.writeString(work.resolve("postgresql.conf"), BASE_SETTINGS + critical, StandardOpenOption.APPEND);
            Files.writeString(work.resolve("pg_hba.conf"), HBA);
            createDatabase(binDir, account, config, work);
            Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(pwfile);
            Files.deleteIfExists(work.resolveSibling(work.getFileName() + ".log"));
            EmbeddedPostgresCluster.deleteTree(work);
        }
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "pg-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void createDatabase(Path binDir, ServerAccount account, EmbeddedPostgresCluster.Builder config,
            Path dir) throws IOException {
        int port = EmbeddedPostgresCluster.freePort();
        Path logFile = dir.resolveSibling(dir.getFileName() + ".log");
        Files.deleteIfExists(logFile);
        ProcessBuilder pb = new ProcessBuilder(account.command(List.of(binDir.resolve("postgres").toString(), "-D",
                dir.toString(), "-p", Integer.toString(port)))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("LC_ALL", "C");
        Process server = pb.start();
        try {
            String role = config.user().equals(config.superuser()) ? null
                    : "create role " + config.user() + " login password '" + config.password() + "'";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    if (role != null) {
                        EmbeddedPostgresCluster.runAsSuperuser(port, config, role, "grant pg_monitor to "
                                + config.user());
                    }
                    EmbeddedPostgresCluster.runAsSuperuser(port, config, "create database " + config.database()
                            + " owner " + config.user());
                    break;
                } catch (SQLException e) {
                    if (!server.isAlive() || System.nanoTime() > deadline) {
                        throw new TestkitException("could not prepare the template server (" + e.getMessage()
                                + "); server log: " + Files.readString(logFile), e);
                    }
                    if (!"08001".equals(e.getSQLState()) && !"57P03".equals(e.getSQLState())) {
                        throw new TestkitException("could not create role/database in the template ("
                                + e.getMessage() + ")", e);
                    }
                    PgNode.sleep(20);
                }
            }
        } finally {
            PgNode.signal(server.pid(), "INT");
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        }
    }

    private static void run(ServerAccount account, List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(account.command(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new TestkitException(what + " failed with exit code " + p.exitValue() + " as the " + account
                        + ":" + System.lineSeparator() + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new TestkitException("interrupted while running " + what, e);
        }
    }

    private static final String HBA = """
            # Written by the Junction testkit: loopback only, password authentication.
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            """;

    private static final String BASE_SETTINGS = """

            # Junction testkit: loopback only, streaming replication, tuned for fast disposable test servers.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = 100
            shared_buffers = '32MB'
            wal_level = replica
            max_wal_senders = 10
            max_replication_slots = 10
            wal_keep_size = '512MB'
            hot_standby = on
            wal_receiver_status_interval = '1s'
            wal_retrieve_retry_interval = '500ms'
            fsync = off
            full_page_writes = off
            shared_preload_libraries = 'pg_stat_statements'
            logging_collector = off
            log_line_prefix = '%m [%p] %q%a '
            log_min_messages = warning
            """;
}
