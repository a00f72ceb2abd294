package dev.junction.spring;

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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Read-your-writes across HTTP requests with no code in the controller: the filter hands out the commit's token,
 * and a read that sends it back sees the write while every replica has replay paused; without it, the read is
 * served by a stale replica.
 */
@WithEmbeddedCluster(replicas = 2)
class ConsistencyOverHttpIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute(TestApp.SCHEMA);
        cluster.primary().execute("grant all on note to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    @AfterEach
    void resumeReplay(EmbeddedPostgresCluster cluster) {
        cluster.replicas().forEach(PgNode::resumeReplay);
        cluster.awaitReplication(Duration.ofSeconds(60));
    }

    @Test
    void aWritesTokenComesBackOnTheResponseAndMakesTheNextReadSeeIt(EmbeddedPostgresCluster cluster)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("server.port", 0);
        p.put("junction.consistency.max-wait", "0ms");
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.SERVLET)) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            assertThat(send(post(base + "/notes/7", "first"), null).statusCode()).isEqualTo(200);
            cluster.awaitReplication(Duration.ofSeconds(30));
            cluster.replicas().forEach(PgNode::pauseReplay);

            HttpResponse<String> written = send(post(base + "/notes/7", "second"), null);
            assertThat(written.statusCode()).isEqualTo(200);
            String token = written.headers().firstValue(ConsistencySession.HEADER).orElseThrow();

            HttpResponse<String> withToken = send(get(base + "/notes/7"), token);
            assertThat(withToken.body()).as("the read after the token").isEqualTo("second");
            assertThat(withToken.headers().firstValue(ConsistencySession.HEADER)).as("the token travels on")
                    .contains(token);
            assertThat(send(get(base + "/notes/7"), null).body()).as("a read without the token, on a paused"
                    + " replica").isEqualTo("first");
            assertThat(send(get(base + "/where"), null).body()).as("reads without a token stay on replicas")
                    .isEqualTo("true");
        }
    }

    @Test
    void aTamperedTokenSendsTheReadToThePrimary(EmbeddedPostgresCluster cluster) throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("server.port", 0);
        try (ConfigurableApplicationContext context = TestApp.start(p, WebApplicationType.SERVLET)) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            assertThat(send(get(base + "/where"), "not-a-token").body()).isEqualTo("false");
        }
    }

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain");
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, @Nullable String token)
            throws Exception {
        if (token != null) {
            request.header(ConsistencySession.HEADER, token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
