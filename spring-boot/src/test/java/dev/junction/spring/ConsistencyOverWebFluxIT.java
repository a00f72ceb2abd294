package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Commit;
import dev.junction.ConsistencySession;
import dev.junction.Database;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.Map;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Read-your-writes across HTTP requests in a WebFlux application: the starter's WebFilter hands out the commit's
 * token, and a read that sends it back sees the write while every replica has replay paused; without it, the read is
 * served by a stale replica. The handlers run Junction's blocking calls through {@link ReactiveConsistency#blocking},
 * off the event loop.
 */
@WithEmbeddedCluster(replicas = 2)
class ConsistencyOverWebFluxIT {

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

    private static ConfigurableApplicationContext start(EmbeddedPostgresCluster cluster) {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("server.port", 0);
        p.put("junction.consistency.max-wait", "0ms");
        return new SpringApplicationBuilder(ReactiveApp.class).web(WebApplicationType.REACTIVE).properties(p).run();
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .build();
    }

    @Test
    void aWritesTokenComesBackOnTheResponseAndMakesTheNextReadSeeIt(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            assertThat(context.getBeansOfType(ConsistencyWebFilter.class)).hasSize(1);
            assertThat(context.getBeansOfType(ConsistencyFilter.class)).as("the servlet filter, in a reactive app")
                    .isEmpty();
            WebTestClient client = client(context);
            assertThat(post(client, "/notes/8", "first").getStatus().value()).isEqualTo(200);
            cluster.awaitReplication(Duration.ofSeconds(30));
            cluster.replicas().forEach(PgNode::pauseReplay);

            EntityExchangeResult<String> written = post(client, "/notes/8", "second");
            assertThat(written.getStatus().value()).isEqualTo(200);
            String token = written.getResponseHeaders().getFirst(ConsistencySession.HEADER);
            assertThat(token).as("the write's response carries the token").isNotNull();

            EntityExchangeResult<String> withToken = get(client, "/notes/8", token);
            assertThat(withToken.getResponseBody()).as("the read after the token").isEqualTo("second");
            assertThat(withToken.getResponseHeaders().getFirst(ConsistencySession.HEADER)).as("the token travels on")
                    .isEqualTo(token);
            assertThat(get(client, "/notes/8", null).getResponseBody()).as("a read without the token, on a paused"
                    + " replica").isEqualTo("first");
            assertThat(get(client, "/where", null).getResponseBody()).as("reads without a token stay on replicas")
                    .isEqualTo("true");
        }
    }

    @Test
    void theBlockingCallsRunOnBoundedElasticThreadsAndATamperedTokenReadsOnThePrimary(
            EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            WebTestClient client = client(context);
            assertThat(get(client, "/thread", null).getResponseBody()).startsWith("boundedElastic-");
            assertThat(get(client, "/where", "not-a-token").getResponseBody()).isEqualTo("false");
        }
    }

    private static EntityExchangeResult<String> post(WebTestClient client, String path, String body) {
        return client.post().uri(path).contentType(MediaType.TEXT_PLAIN).bodyValue(body).exchange()
                .expectBody(String.class).returnResult();
    }

    private static EntityExchangeResult<String> get(WebTestClient client, String path, @Nullable String token) {
        return client.get().uri(path).headers(h -> {
            if (token != null) {
                h.set(ConsistencySession.HEADER, token);
            }
        }).exchange().expectBody(String.class).returnResult();
    }

    /** A reactive application with nothing but auto-configuration, the properties and one controller. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ReactiveApp {

        /** Writes and reads notes off the event loop; the WebFilter and the Database bean carry the token. */
        @RestController
        static class ReactiveNotes {
            private final Database db;

            ReactiveNotes(Database db) {
                this.db = db;
            }

            @PostMapping("/notes/{id}")
            Mono<String> save(@PathVariable("id") long id, @RequestBody String body) {
                return ReactiveConsistency.blocking(() -> db.write(tx -> tx.execute("insert into note (id, body)"
                        + " values (?, ?) on conflict (id) do update set body = excluded.body", id, body)))
                        .map((Commit<Integer> c) -> "saved " + c.value());
            }

            @GetMapping("/notes/{id}")
            Mono<String> find(@PathVariable("id") long id) {
                return ReactiveConsistency.blocking(() -> db.read(ctx -> ctx.fetchValue(DSL.field(
                        "(select body from note where id = ?)", String.class, id)))).defaultIfEmpty("none");
            }

            @GetMapping("/where")
            Mono<String> where() {
                return ReactiveConsistency.blocking(() -> Boolean.toString(db.read(TestApp::inRecovery)));
            }

            @GetMapping("/thread")
            Mono<String> thread() {
                return ReactiveConsistency.blocking(() -> Thread.currentThread().getName());
            }
        }
    }
}
