package dev.junction.samples.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConsistencySession;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.routing.TokenReadStats;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across app instances over HTTP: the token instance A returns makes instance B's read see the
 * write, while B's read without it misses the write (replay paused on the replica, so staleness is certain).
 */
@WithEmbeddedCluster(replicas = 1)
class TokenCarryingServiceIT {
    private static final AtomicLong IDS = new AtomicLong();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute(TokenCarryingService.SCHEMA);
        cluster.primary().execute("grant all on profile to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    @AfterEach
    void resumeReplay(EmbeddedPostgresCluster cluster) {
        cluster.replicas().forEach(PgNode::resumeReplay);
        cluster.awaitReplication(Duration.ofSeconds(60));
    }

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    @Test
    void theTokenFromInstanceAMakesInstanceBSeeTheWriteThatItMissesWithout(EmbeddedPostgresCluster cluster)
            throws Exception {
        try (Instance a = Instance.start(cluster); Instance b = Instance.start(cluster)) {
            long id = IDS.incrementAndGet();
            assertThat(post(a, id, "Ada").statusCode()).isEqualTo(204);
            cluster.awaitReplication(Duration.ofSeconds(30));
            cluster.replicas().forEach(PgNode::pauseReplay);

            HttpResponse<String> renamed = post(a, id, "Grace");
            assertThat(renamed.statusCode()).isEqualTo(204);
            String token = renamed.headers().firstValue(ConsistencySession.HEADER).orElseThrow();
            assertThat(token).hasSize(ConsistencyToken.ENCODED_LENGTH).matches("[A-Za-z0-9_-]+");

            HttpResponse<String> withToken = get(b, id, token);
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).isEqualTo("Grace");
            HttpResponse<String> without = get(b, id, null);
            assertThat(without.statusCode()).isEqualTo(200);
            assertThat(without.body()).as("B without the token reads the paused replica").isEqualTo("Ada");

            long created = IDS.incrementAndGet();
            HttpResponse<String> saved = post(a, created, "Linus");
            String createdToken = saved.headers().firstValue(ConsistencySession.HEADER).orElseThrow();
            assertThat(get(b, created, null).statusCode()).as("B without the token").isEqualTo(404);
            HttpResponse<String> found = get(b, created, createdToken);
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).isEqualTo("Linus");

            TokenReadStats stats = b.router().tokenReads();
            assertThat(stats.total()).isEqualTo(2);
            assertThat(stats.servedByPrimary()).as("the paused replica cannot serve a fresh token").isEqualTo(2);
        }
    }

    @Test
    void aDamagedTokenSendsTheReadToThePrimary(EmbeddedPostgresCluster cluster) throws Exception {
        try (Instance a = Instance.start(cluster); Instance b = Instance.start(cluster)) {
            long id = IDS.incrementAndGet();
            cluster.replicas().forEach(PgNode::pauseReplay);
            String token = post(a, id, "Barbara").headers().firstValue(ConsistencySession.HEADER).orElseThrow();
            assertThat(get(b, id, null).statusCode()).as("B without the token").isEqualTo(404);

            char flipped = token.charAt(10) == 'A' ? 'B' : 'A';
            String tampered = token.substring(0, 10) + flipped + token.substring(11);
            for (String damaged : List.of(token.substring(0, 20), "not a token!", tampered)) {
                HttpResponse<String> read = get(b, id, damaged);
                assertThat(read.statusCode()).as(damaged).isEqualTo(200);
                assertThat(read.body()).as(damaged).isEqualTo("Barbara");
            }
            var reasons = b.router().routingCounts();
            // A tampered token that still passes the checksum (odds 1 in 65,536) names another cluster: the primary.
            assertThat(reasons.getOrDefault("strong", 0L) + reasons.getOrDefault("token_foreign", 0L))
                    .as("truncated, garbage and tampered tokens are read on the primary: %s", reasons).isEqualTo(3);
        }
    }

    private static HttpResponse<String> post(Instance to, long id, String name)
            throws IOException, InterruptedException {
        URI uri = to.uri("/profiles/" + id + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return CLIENT.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Instance from, long id, @Nullable String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(from.uri("/profiles/" + id)).GET();
        if (token != null) {
            request.header(ConsistencySession.HEADER, token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One app instance: its own router (pools, monitor), Database and HTTP service over the shared cluster. */
    private record Instance(ClusterRouter router, Database db, TokenCarryingService service)
            implements AutoCloseable {

        static Instance start(EmbeddedPostgresCluster cluster) throws IOException {
            PoolSettings small = PoolSettings.builder().maximumPoolSize(4).minimumIdle(0).build();
            RoutingConfig.Builder config = RoutingConfig.builder()
                    .credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                    .primaryPool(small)
                    .replicaPool(small)
                    .appInstances(2)
                    .monitorInterval(Duration.ofMillis(100))
                    // A paused replica stays eligible and reads without a token never move to the primary, so the
                    // read without the header is served by the replica, stale.
                    .maxReplicaLag(Duration.ofHours(1))
                    .fallback(FallbackPolicy.FAIL);
            for (PgNode replica : cluster.replicas()) {
                config.node(NodeConfig.replica(replica.name(), replica.jdbcUrl()));
            }
            ClusterRouter router = ClusterRouter.create(config.build());
            Database db = Junction.builder().router(router).build();
            try {
                return new Instance(router, db, new TokenCarryingService(db));
            } catch (IOException | RuntimeException e) {
                db.close();
                throw e;
            }
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + service.port() + pathAndQuery);
        }

        @Override
        public void close() {
            service.close();
            db.close();
        }
    }
}
