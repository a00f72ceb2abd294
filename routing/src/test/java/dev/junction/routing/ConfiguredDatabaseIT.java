package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ClusterHealth;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.UnitReport;
import dev.junction.metrics.MeterNames;
import dev.junction.spi.ClusterView;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.conf.RenderKeywordCase;
import org.jooq.conf.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code Junction.configured(file)} takes what a file cannot hold (a meter registry, listeners, jOOQ
 * settings) and the Database it builds gives operators the router's health and counts without a cast.
 */
@WithEmbeddedCluster(replicas = 1)
class ConfiguredDatabaseIT {

    private static Path file(EmbeddedPostgresCluster cluster, Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, """
                credentials:
                  user: %s
                  password: %s
                nodes:
                  - name: main
                    url: %s
                    role: primary
                  - name: standby
                    url: %s
                    role: replica
                pool:
                  primary: {maximumPoolSize: 2}
                  replica: {maximumPoolSize: 2}
                database:
                  parallelism: 2
                """.formatted(cluster.user(), cluster.password(), cluster.primary().jdbcUrl(),
                cluster.replicas().get(0).jdbcUrl()));
        return file;
    }

    @Test
    void oneCallBindsUnitRoutingPoolAndBreakerMetersAndCloseRemovesTheRoutersMeters(EmbeddedPostgresCluster cluster,
            @TempDir Path dir) throws IOException {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Database db = Junction.configured(file(cluster, dir)).meterRegistry(registry).build()) {
            db.read(ctx -> ctx.fetchSingle("select 1").get(0, Integer.class));
            db.write(ctx -> ctx.execute("select 1"));

            assertThat(registry.get(MeterNames.UNIT_DURATION).tag("kind", "read").tag("outcome", "success").timer()
                    .count()).isEqualTo(1);
            assertThat(registry.get(MeterNames.ROUTE).tag("reason", "replica").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get(MeterNames.NODE_UP).tag("node", "standby").gauge().value()).isEqualTo(1);
            assertThat(registry.get("hikaricp.connections.max").tag("pool", "junction-main").gauge().value())
                    .isEqualTo(2);
            assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "junction-standby").gauges())
                    .isNotEmpty();
        }
        assertThat(registry.find(MeterNames.ROUTE).meters()).as("routing meters removed with the Database")
                .isEmpty();
        assertThat(registry.find("hikaricp.connections.max").meters()).as("pool meters removed").isEmpty();
    }

    @Test
    void listenersAndJooqSettingsApplyToEveryUnit(EmbeddedPostgresCluster cluster, @TempDir Path dir)
            throws IOException {
        List<UnitReport> reports = new CopyOnWriteArrayList<>();
        try (Database db = Junction.configured(file(cluster, dir)).unitListener(reports::add)
                .jooqSettings(new Settings().withRenderKeywordCase(RenderKeywordCase.UPPER)).build()) {
            db.read(ctx -> ctx.selectOne().fetchSingle().value1());
        }
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.statements()).singleElement()
                .satisfies(s -> assertThat(s.sql()).startsWith("SELECT ? AS")));
    }

    /** The calls docs/configuration.md shows, as written there. */
    @Test
    void theDocumentedCallsRun(EmbeddedPostgresCluster embedded, @TempDir Path dir) throws IOException {
        Path file = file(embedded, dir);
        MeterRegistry registry = new SimpleMeterRegistry();
        List<UnitReport> audit = new CopyOnWriteArrayList<>();
        // --- as in docs/configuration.md ---
        Database db = Junction.configured(file)
                .meterRegistry(registry)                 // unit, routing, lag, pool and breaker meters, removed on close
                .unitListener(audit::add)                // any number of listeners
                .jooqSettings(new Settings().withRenderSchema(false))
                .build();                                // reads the file, checks it, starts the router

        ClusterView cluster = db.cluster().orElseThrow(); // present for a routed Database; no cast, no I/O
        ClusterHealth health = cluster.health();          // UP, DEGRADED or DOWN, per-node details, reasons
        Map<String, Long> counts = cluster.routingCounts();
        // --- end ---
        try (db) {
            assertThat(health.state()).isEqualTo(ClusterHealth.State.UP);
            assertThat(counts).doesNotContainKey("replica");
            db.read(ctx -> ctx.fetchSingle("select 1").get(0, Integer.class));
            assertThat(audit).hasSize(1);
            assertThat(cluster.routingCounts()).containsEntry("replica", 1L);
        }
    }

    @Test
    void theDatabaseGivesTheRoutersHealthAndCountsWithoutACast(EmbeddedPostgresCluster cluster, @TempDir Path dir)
            throws IOException {
        try (Database db = Junction.configured(file(cluster, dir)).build()) {
            db.read(ctx -> ctx.fetchSingle("select 1").get(0, Integer.class));
            db.read(ctx -> ctx.fetchSingle("select 1").get(0, Integer.class));

            ClusterView cluster1 = db.cluster().orElseThrow();
            assertThat(cluster1.health().state()).isEqualTo(ClusterHealth.State.UP);
            assertThat(cluster1.health().nodes()).extracting(ClusterHealth.Node::name)
                    .containsExactly("main", "standby");
            assertThat(cluster1.routingCounts()).containsEntry("replica", 2L);
        }
    }
}
