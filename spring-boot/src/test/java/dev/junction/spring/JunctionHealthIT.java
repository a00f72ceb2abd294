package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code /actuator/health}'s {@code junction} component follows the cluster: UP, DEGRADED naming a killed replica,
 * DOWN (HTTP 503) with the primary stopped, UP again once both are back; its details never show a URL or the
 * password.
 */
@WithEmbeddedCluster(replicas = 2)
class JunctionHealthIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Generous: the monitor polls every 100ms; this only bounds a hang, it measures nothing. */
    private static final long PATIENCE_NANOS = 60_000_000_000L;

    @Test
    void theJunctionComponentIsUpDegradedDownAndUpAgain(EmbeddedPostgresCluster cluster) throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("server.port", 0);
        p.put("management.endpoints.web.exposure.include", "health");
        p.put("management.endpoint.health.show-details", "always");
        p.put("management.endpoint.health.show-components", "always");
        p.put("junction.resilience.circuit-breaker.wait-in-open-state", "200ms");
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.SERVLET)) {
            String url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/actuator/health/junction";
            HttpResponse<String> up = awaitStatus(url, "UP");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"replica-1\"").contains("\"breaker\":\"closed\"")
                    .doesNotContain("jdbc:").doesNotContain(cluster.password());

            PgNode replica = cluster.replicas().get(0);
            replica.kill();
            HttpResponse<String> degraded = awaitStatus(url, "DEGRADED");
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(degraded.body()).contains("\"impaired\":[\"replica-1\"]");

            cluster.primary().stop();
            HttpResponse<String> down = awaitStatus(url, "DOWN");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"impaired\":[\"primary\",\"replica-1\"]")
                    .doesNotContain(cluster.password());

            cluster.primary().start();
            replica.start();
            assertThat(awaitStatus(url, "UP").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> awaitStatus(String url, String status) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        HttpResponse<String> last;
        do {
            last = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            // Boot writes the details first: the component's own status is the last key.
            if (last.body().endsWith("\"status\":\"" + status + "\"}")) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the junction health never became " + status + "; last: " + last.body());
    }
}
