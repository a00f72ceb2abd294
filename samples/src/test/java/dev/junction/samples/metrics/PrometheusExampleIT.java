package dev.junction.samples.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus example (issue 7): known work, then a real scrape over HTTP finds Junction's meters with exact
 * counts; the health endpoint shows the topology; the Grafana dashboard and docs/metrics.md name only meters that
 * exist, and every Junction meter is documented.
 */
@WithEmbeddedCluster(replicas = 1)
class PrometheusExampleIT {
    private static final Path DOCS = Path.of("..", "docs");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static PrometheusExample example;
    private static String scrape;

    @BeforeAll
    static void start(EmbeddedPostgresCluster cluster) throws Exception {
        cluster.primary().execute("create table visits (id bigint primary key, page text not null)");
        cluster.primary().execute("grant all on visits to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
        RoutingConfig.Builder config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .monitorInterval(Duration.ofMillis(100))
                .primaryPool(PoolSettings.builder().maximumPoolSize(3).minimumIdle(0).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(3).minimumIdle(0).build())
                .node(NodeConfig.primary("primary", cluster.primary().jdbcUrl()));
        for (PgNode replica : cluster.replicas()) {
            config.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
        }
        example = PrometheusExample.start(config.build());
        for (int i = 0; i < 4; i++) {
            long id = i;
            example.db().write(tx -> tx.execute("insert into visits values (?, ?)", id, "/home"));
        }
        for (int i = 0; i < 5; i++) {
            example.db().read(ctx -> ctx.fetch("select * from visits").size());
        }
        example.db().write(tx -> tx.fetch("select * from visits").size()); // write-without-writes
        scrape = get("/metrics").body();
        System.out.println(scrape); // in the test output file, for reading the names
    }

    @AfterAll
    static void stop() {
        if (example != null) {
            example.close();
        }
        CLIENT.close();
    }

    @Test
    void theScrapeCarriesJunctionsMetersWithExactCountsAndTags() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
        assertThat(scrape)
                .contains("junction_unit_duration_seconds_count{kind=\"read\",outcome=\"success\"} 5")
                .contains("junction_unit_duration_seconds_count{kind=\"write\",outcome=\"success\"} 5")
                .contains("junction_tx_duration_seconds_count{outcome=\"success\"} 5")
                .contains("junction_tx_budget_exceeded_transactions_total 0")
                .contains("junction_route_decisions_total{reason=\"replica\"} 5")
                .contains("junction_route_decisions_total{reason=\"primary\"} 5")
                .contains("junction_lint_findings_total{lint=\"write-without-writes\"} 1")
                .contains("junction_node_up{node=\"replica-1\",role=\"replica\"} 1")
                .contains("db_client_connection_max{db_client_connection_pool_name=\"junction-primary\","
                        + "node=\"primary\"} 3")
                .contains("hikaricp_connections_max{pool=\"junction-replica-1\"} 3")
                .contains("resilience4j_circuitbreaker_state{name=\"junction-primary\",state=\"closed\"} 1");
        assertThat(sample("db_client_operation_duration_seconds_count", "db_operation_name=\"INSERT\"",
                "node=\"primary\"")).isEqualTo(4);
        assertThat(sample("db_client_operation_duration_seconds_count", "db_operation_name=\"SELECT\"",
                "node=\"replica-1\"")).isEqualTo(5);
        assertThat(sample("hikaricp_connections_acquire_seconds_count", "pool=\"junction-replica-1\""))
                .isEqualTo(5);
    }

    @Test
    void theHealthEndpointShowsTheTopology() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> health = new Yaml().load(response.body());
        assertThat(health).containsEntry("status", "UP").containsEntry("reasons", List.of());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) health.get("nodes");
        assertThat(nodes).extracting(n -> n.get("name"), n -> n.get("role"), n -> n.get("eligible"),
                n -> n.get("breaker")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("primary", "primary", true, "closed"),
                org.assertj.core.groups.Tuple.tuple("replica-1", "replica", true, "closed"));
        assertThat(nodes.get(1)).containsKey("lagBytes").containsKey("pool");
    }

    @Test
    void theGrafanaDashboardIsValidJsonAndQueriesOnlyMetersThatExist() throws IOException {
        Map<String, Object> dashboard = new Yaml().load(Files.readString(DOCS.resolve("grafana/junction.json")));
        assertThat(dashboard).containsKeys("title", "panels", "templating");
        List<String> expressions = expressions(dashboard);
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        Set<String> scraped = Arrays.stream(scrape.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> referenced = new TreeSet<>();
        // label matchers and grouping clauses name labels, not metrics
        String metricsOnly = String.join("\n", expressions).replaceAll("\\{[^}]*}", "")
                .replaceAll("\\b(?:by|without)\\s*\\([^)]*\\)", "");
        Matcher m = Pattern.compile("\\b(?:junction|db_client|hikaricp|resilience4j)_[a-z0-9_]+").matcher(
                metricsOnly);
        while (m.find()) {
            referenced.add(m.group());
        }
        assertThat(referenced).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(15);
        assertThat(scraped).as("every metric the dashboard queries is scraped").containsAll(referenced);
    }

    @Test
    void everyJunctionMeterIsDocumentedInTheMetricsGuide() throws IOException {
        String guide = Files.readString(DOCS.resolve("metrics.md"));
        Set<String> names = example.registry().getMeters().stream().map(meter -> meter.getId().getName())
                .filter(n -> n.startsWith("junction.") || n.startsWith("db.client."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).hasSizeGreaterThanOrEqualTo(20);
        assertThat(names).allSatisfy(n -> assertThat(guide).contains("`" + n + "`"));
    }

    private static double sample(String name, String... labels) {
        return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(name + "{"))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @SuppressWarnings("unchecked")
    private static List<String> expressions(Object node) {
        if (node instanceof Map<?, ?> map) {
            List<String> out = new java.util.ArrayList<>();
            map.forEach((k, v) -> {
                if ("expr".equals(k) && v instanceof String s) {
                    out.add(s);
                } else {
                    out.addAll(expressions(v));
                }
            });
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().flatMap(o -> expressions(o).stream()).toList();
        }
        return List.of();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + example.server().port() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
