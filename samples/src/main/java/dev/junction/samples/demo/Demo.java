package dev.junction.samples.demo;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.ClusterRouter;
import dev.junction.samples.load.LoadBench;
import dev.junction.samples.load.Report;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a PostgreSQL 17 primary with two streaming replicas, writes on the primary and shows each row arriving on
 * every replica with the measured replay delay, routes reads and writes through Junction, runs the sample service
 * under a short load (naive, tuned and Junction) and prints the table, then shuts everything down. Run with
 * {@code ./dev demo}.
 */
public final class Demo {
    private static final int ROWS = 5;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Junction demo: starting an embedded PostgreSQL 17 primary and 2 streaming replicas...");
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start()) {
            System.out.printf("Cluster started in %d ms%n", cluster.startupTime().toMillis());
            for (PgNode node : cluster.nodes()) {
                System.out.printf("  %-10s %-7s %s%n", node.name(), node.inRecovery() ? "replica" : "primary",
                        node.jdbcUrl());
            }
            cluster.primary().execute("create table greetings (id int primary key, text text not null)");
            cluster.primary().execute("grant all on greetings to " + cluster.user());
            cluster.awaitReplication(Duration.ofSeconds(10));

            System.out.println();
            System.out.printf("%-4s %-28s %s%n", "row", "written on the primary", "visible on the replicas after");
            List<Connection> replicaConnections = new ArrayList<>();
            for (PgNode replica : cluster.replicas()) {
                replicaConnections.add(replica.connect()); // opened up front: a connect would dwarf the delay
            }
            try (ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor();
                 Connection primary = cluster.primary().connect()) {
                for (int id = 1; id <= ROWS; id++) {
                    String text = "hello #" + id;
                    try (PreparedStatement insert = primary.prepareStatement("insert into greetings values (?, ?)")) {
                        insert.setInt(1, id);
                        insert.setString(2, text);
                        insert.executeUpdate();
                    }
                    long committed = System.nanoTime();
                    List<Future<Duration>> arrivals = new ArrayList<>();
                    for (int i = 0; i < replicaConnections.size(); i++) {
                        Connection replica = replicaConnections.get(i);
                        String name = cluster.replicas().get(i).name();
                        int row = id;
                        arrivals.add(watchers.submit(() -> awaitRow(replica, name, row, committed)));
                    }
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < arrivals.size(); i++) {
                        line.append(String.format("%s %.2f ms   ", cluster.replicas().get(i).name(),
                                arrivals.get(i).get().toNanos() / 1e6));
                    }
                    System.out.printf("%-4d %-28s %s%n", id, text, line);
                }
            } finally {
                for (Connection c : replicaConnections) {
                    c.close();
                }
            }
            System.out.println();
            junction(cluster);
            System.out.println();
            cluster.primary().execute("drop table greetings"); // the service's migrations want an empty schema
            service(cluster);
            System.out.println();
            System.out.println("Shutting the cluster down...");
        }
        System.out.println("Done: every PostgreSQL process stopped and its data deleted.");
    }

    /** The same cluster through Junction: routing, read-your-writes with a paused replica, a replica killed. */
    private static void junction(EmbeddedPostgresCluster cluster) {
        RoutingConfig.Builder config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .monitorInterval(Duration.ofMillis(100))
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()));
        cluster.replicas().forEach(r -> config.node(NodeConfig.replica(r.name(), r.jdbcUrl())));
        try (ClusterRouter router = ClusterRouter.create(config.build());
             Database db = Junction.builder().router(router).build()) {
            System.out.println("Through Junction (reads to replicas, writes to the primary):");
            for (int i = 0; i < 4; i++) {
                Reported<Boolean> read = db.readReported(
                        ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
                System.out.printf("  read  -> %-10s (pg_is_in_recovery() = %s)%n",
                        read.report().nodes().get(0).name(), read.value());
            }
            PgNode paused = cluster.replicas().get(0);
            cluster.replicas().forEach(PgNode::pauseReplay);
            Commit<Integer> write = db.write(tx -> tx.execute("insert into greetings values (100, 'read your writes')"));
            System.out.printf("  write -> %-10s token %s%n", write.report().nodes().get(0).name(),
                    write.token().encode());
            Reported<Object> stale = db.readReported(ctx -> ctx.fetchValue("select text from greetings where id = 100"));
            Reported<Object> fresh = db.readReported(Consistency.after(write.token()),
                    ctx -> ctx.fetchValue("select text from greetings where id = 100"));
            System.out.printf("  with replay paused: eventual read on %s sees %s; read after the token on %s sees '%s'%n",
                    stale.report().nodes().get(0).name(), stale.value(), fresh.report().nodes().get(0).name(),
                    fresh.value());
            cluster.replicas().forEach(PgNode::resumeReplay);
            cluster.awaitReplication(Duration.ofSeconds(10));
            String tokenRead = db.readReported(Consistency.after(write.token()), ctx -> ctx.fetch("select 1"))
                    .report().nodes().get(0).name();
            System.out.printf("  replay resumed: the same token read is served by %s%n", tokenRead);
            paused.kill();
            int ok = 0;
            for (int i = 0; i < 200; i++) {
                db.read(ctx -> ctx.fetch("select 1"));
                ok++;
            }
            System.out.printf("  %s killed: %d of 200 reads succeeded; routing decisions %s%n", paused.name(), ok,
                    router.routingCounts());
            paused.start();
        }
    }

    /**
     * The sample service under a short closed-loop load, naive, tuned and Junction, on this cluster; the full
     * benchmark is {@code ./dev bench load}.
     */
    private static void service(EmbeddedPostgresCluster cluster) throws IOException, InterruptedException {
        System.out.println("The sample service (group directory over HTTP) under load, naive, tuned and Junction,"
                + " short run:");
        LoadBench.Options options = LoadBench.Options.defaults()
                .with(LoadBench.Options.IMPLS, List.of(50, 500), Path.of("target", "demo"))
                .with(Duration.ofSeconds(3), Duration.ofSeconds(10), 5_000);
        Report report = LoadBench.run(cluster, options, System.out);
        System.out.println();
        System.out.print(report.table());
        report.ratios().forEach(line -> System.out.println("  " + line));
        System.out.println("  (10 s per run; the full benchmark, 50 to 1,000 users: ./dev bench load)");
    }

    /** Polls a replica until the row is visible; returns the time since the commit. */
    private static Duration awaitRow(Connection replica, String name, int id, long committedAt) throws SQLException {
        try (PreparedStatement s = replica.prepareStatement("select 1 from greetings where id = ?")) {
            s.setInt(1, id);
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return Duration.ofNanos(System.nanoTime() - committedAt);
                    }
                }
                if (Duration.ofNanos(System.nanoTime() - committedAt).toSeconds() > 30) {
                    throw new IllegalStateException(name + " did not receive row " + id + " in 30s");
                }
            }
        }
    }
}
