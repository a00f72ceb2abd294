package dev.junction.samples.metrics;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.metrics.UnitMetrics;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.RoutingMetrics;
import dev.junction.routing.ClusterRouter;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;

/**
 * A Database whose meters Prometheus can scrape: {@link UnitMetrics} and {@link RoutingMetrics} bound to a
 * {@link PrometheusMeterRegistry} in one call ({@code Junction.Builder.meterRegistry}), the slow-statement log
 * switched on, and a {@link MetricsServer} serving {@code /metrics} and {@code /health}. {@link #main} runs it on an
 * embedded cluster. {@link #close()} closes the server, then the Database, which removes the router's meters and
 * closes the router.
 *
 * @param db       the Database to use
 * @param registry the registry every meter is in
 * @param server   the HTTP endpoints
 */
public record PrometheusExample(Database db, PrometheusMeterRegistry registry, MetricsServer server)
        implements AutoCloseable {

    /**
     * Builds the router and the Database for {@code config}, binds every meter and starts the endpoints.
     *
     * @throws IOException when the HTTP server cannot bind a loopback port
     */
    public static PrometheusExample start(RoutingConfig config) throws IOException {
        // --- binding (quoted in docs/metrics.md) ---
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClusterRouter router = ClusterRouter.create(config);
        Database db = Junction.builder().router(router)
                .meterRegistry(registry)                           // units, routing, lag, pools, breakers, lints
                .slowStatementThreshold(Duration.ofMillis(250))    // WARN on dev.junction.slow, binds redacted
                .build();
        MetricsServer server = new MetricsServer(registry, router);  // GET /metrics, GET /health
        // --- end ---
        return new PrometheusExample(db, registry, server);
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }

    /** Starts an embedded primary and replica, runs a little work and serves the endpoints until Enter. */
    public static void main(String[] args) throws IOException {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start()) {
            cluster.primary().execute("create table visits (id bigserial primary key, page text not null)");
            cluster.primary().execute("grant all on visits to " + cluster.user());
            cluster.primary().execute("grant usage on sequence visits_id_seq to " + cluster.user());
            RoutingConfig.Builder config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()));
            for (PgNode replica : cluster.replicas()) {
                config.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
            }
            try (PrometheusExample example = start(config.build())) {
                for (int i = 0; i < 20; i++) {
                    example.db().write(tx -> tx.execute("insert into visits (page) values (?)", "/home"));
                    example.db().read(ctx -> ctx.fetch("select * from visits").size());
                }
                int port = example.server().port();
                System.out.println("curl http://127.0.0.1:" + port + "/metrics");
                System.out.println("curl http://127.0.0.1:" + port + "/health");
                System.out.println("Press Enter to stop.");
                System.in.read();
            }
        }
    }
}
