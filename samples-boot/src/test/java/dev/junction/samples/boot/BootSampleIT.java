package dev.junction.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConsistencySession;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Boot sample as {@code ./dev boot-sample} runs it: migrated and seeded through the starter, its endpoints
 * answer, and a profile change is visible to the next request that sends the token back, while the replicas have
 * replay paused.
 */
@WithEmbeddedCluster(replicas = 2)
class BootSampleIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void theDirectoryEndpointsServeAndAProfileChangeIsReadBackWithItsToken(EmbeddedPostgresCluster cluster)
            throws Exception {
        try (ConfigurableApplicationContext context = BootSample.start(cluster, Map.of("server.port", 0))) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            cluster.awaitReplication(Duration.ofSeconds(60));
            assertThat(get(base + "/groups/1/members", null).body()).contains("\"memberCount\"");
            assertThat(get(base + "/users/999999", null).statusCode()).isEqualTo(404);

            cluster.replicas().forEach(PgNode::pauseReplay);
            try {
                HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/users/1/profile"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .PUT(HttpRequest.BodyPublishers.ofString("name=Ada+Lovelace&city=London")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).isEqualTo(204);
                String token = put.headers().firstValue(ConsistencySession.HEADER).orElseThrow();
                assertThat(get(base + "/users/1", token).body()).contains("\"name\":\"Ada Lovelace\"");
                assertThat(get(base + "/users/1", null).body()).doesNotContain("Ada Lovelace");
            } finally {
                cluster.replicas().forEach(PgNode::resumeReplay);
            }
            assertThat(get(base + "/actuator/health", null).body()).contains("\"junction\"");
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header(ConsistencySession.HEADER, token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
