package dev.junction.samples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConsistencySession;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample service's endpoints over HTTP, all three implementations (naive, junction, tuned) on one embedded
 * primary with a streaming replica: they answer alike, read their own writes with the token, take hostile input
 * literally and refuse oversized input before touching the database (issues 8, 9 and 23).
 */
class DirectoryServiceIT {
    private static final int USERS = 300;
    private static final int GROUPS = 12;
    /** A group without members, for sign-ups whose member page the tests read. */
    private static final long EMPTY_GROUP = GROUPS + 1;
    private static final AtomicInteger EMAILS = new AtomicInteger();
    /** Users the profile tests change, one per test and implementation, so comparisons elsewhere stay valid. */
    private static final AtomicInteger EDITABLE = new AtomicInteger(USERS - 40);

    private static EmbeddedPostgresCluster cluster;
    private static final Map<String, Directory> directories = new LinkedHashMap<>();
    private static final Map<String, DirectoryService> services = new LinkedHashMap<>();
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
        SampleData.migrateAndSeed(cluster, USERS, GROUPS);
        cluster.primary().execute("insert into groups (id, name, city, country_code) values (" + EMPTY_GROUP
                + ", 'Newcomers', 'Berlin', 'DE')");
        cluster.awaitReplication(Duration.ofSeconds(30));

        directories.put("naive", NaiveDirectory.create(cluster.primary().jdbcUrl(), cluster.user(),
                cluster.password(), Duration.ofSeconds(5)));
        PgNode replica = cluster.replicas().get(0);
        directories.put("junction", JunctionDirectory.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(PoolSettings.builder().maximumPoolSize(4).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(4).build())
                .monitorInterval(Duration.ofMillis(100))
                // A paused replica stays eligible, so a read without the token is stale for certain.
                .maxReplicaLag(Duration.ofHours(1))
                .build()));
        // The rival without Junction: a primary pool and a pool over the replica by pgJDBC's multi-host URL.
        directories.put("tuned", TunedDirectory.create(cluster.primary().jdbcUrl(),
                TunedDirectory.replicaUrl(List.of(replica.host() + ":" + replica.port()), cluster.primary().host()
                        + ":" + cluster.primary().port(), cluster.database()), 4, cluster.user(), cluster.password(),
                Duration.ofSeconds(5), TunedDirectory.READ_YOUR_WRITES));
        for (var e : directories.entrySet()) {
            services.put(e.getKey(), DirectoryService.start(e.getValue()));
        }
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        services.values().forEach(DirectoryService::close);
        directories.values().forEach(Directory::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---- every implementation answers alike ----

    /** The implementations compared with {@code naive}, the plainest one. */
    private static final List<String> OTHERS = List.of("junction", "tuned");

    @Test
    void everyImplementationAnswersTheSameGroupPages() throws Exception {
        cluster.awaitReplication(Duration.ofSeconds(30));
        for (long group = 1; group <= EMPTY_GROUP; group++) {
            HttpResponse<String> naive = get("naive", "/groups/" + group + "/members", null);
            assertThat(naive.statusCode()).isEqualTo(200);
            for (String impl : OTHERS) {
                HttpResponse<String> other = get(impl, "/groups/" + group + "/members", null);
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.body()).as("%s, group %d", impl, group).isEqualTo(naive.body());
            }
        }
        String page = get("naive", "/groups/1/members", null).body();
        assertThat(page).contains("\"name\":\"Group 1\"", "\"role\":\"Administrator\"",
                "\"status\":\"Active\"");
        assertThat(page.indexOf("\"role\":\"Administrator\"")).as("by role rank: administrators first")
                .isLessThan(page.indexOf("\"role\":\"Member\""));
        for (String impl : directories.keySet()) {
            assertThat(get(impl, "/groups/999/members", null).statusCode()).as(impl).isEqualTo(404);
        }
    }

    @Test
    void everyImplementationFindsTheSameUsersWithTheirGroups() throws Exception {
        cluster.awaitReplication(Duration.ofSeconds(30));
        for (String q : List.of("a", "An", "zoe", "Zoe Ba", "Tom Young", "nobody", "ma")) {
            for (int limit : new int[] {1, 20, Inputs.MAX_LIMIT}) {
                HttpResponse<String> naive = get("naive", "/search?q=" + encode(q) + "&limit=" + limit, null);
                assertThat(naive.statusCode()).isEqualTo(200);
                for (String impl : OTHERS) {
                    HttpResponse<String> other = get(impl, "/search?q=" + encode(q) + "&limit=" + limit, null);
                    assertThat(other.statusCode()).isEqualTo(200);
                    assertThat(other.body()).as("%s, %s, limit %d", impl, q, limit).isEqualTo(naive.body());
                }
            }
        }
        String hits = get("naive", "/search?q=an&limit=5", null).body();
        assertThat(hits).startsWith("[{").contains("\"name\":\"Anna ", "\"groups\":[{\"id\":");
        assertThat(hits.split("\"country\":")).as("five hits").hasSize(6);
    }

    @Test
    void everyImplementationShowsTheSameProfiles() throws Exception {
        cluster.awaitReplication(Duration.ofSeconds(30));
        for (long user = 1; user <= 20; user++) {
            HttpResponse<String> naive = get("naive", "/users/" + user, null);
            assertThat(naive.statusCode()).isEqualTo(200);
            for (String impl : OTHERS) {
                assertThat(get(impl, "/users/" + user, null).body()).as(impl).isEqualTo(naive.body());
            }
        }
        assertThat(get("naive", "/users/1", null).body())
                .isEqualTo("{\"id\":1,\"email\":\"user1@example.org\",\"name\":\"Alan Adler\",\"country\":\"France\","
                        + "\"language\":\"French\",\"city\":\"Paris\",\"bio\":null}");
        for (String impl : directories.keySet()) {
            assertThat(get(impl, "/users/99999", null).statusCode()).as(impl).isEqualTo(404);
        }
    }

    // ---- writes and reading them back ----

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void aSignupJoinsTheGroupAndReadsBackWithItsToken(String impl) throws Exception {
        String email = email();
        HttpResponse<String> created = post(impl, "/signup", form("email", email, "name", "Grace Hopper",
                "country", "NL", "language", "en", "city", "Utrecht", "group", String.valueOf(EMPTY_GROUP)));
        assertThat(created.statusCode()).isEqualTo(201);
        long id = Long.parseLong(created.body().replaceAll("\\D", ""));
        @Nullable String token = created.headers().firstValue(ConsistencySession.HEADER).orElse(null);
        assertThat(token != null).as("junction and tuned issue tokens").isEqualTo(!impl.equals("naive"));

        HttpResponse<String> profile = get(impl, "/users/" + id, token);
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body()).isEqualTo("{\"id\":" + id + ",\"email\":\"" + email + "\",\"name\":\"Grace Hopper\","
                + "\"country\":\"Netherlands\",\"language\":\"English\",\"city\":\"Utrecht\",\"bio\":null}");
        HttpResponse<String> page = get(impl, "/groups/" + EMPTY_GROUP + "/members", token);
        assertThat(page.body()).contains("{\"userId\":" + id + ",\"name\":\"Grace Hopper\",\"role\":\"Member\","
                + "\"status\":\"Active\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void aProfileUpdateReadsBackWithItsTokenWhileTheReplicaIsPaused(String impl) throws Exception {
        long id = EDITABLE.incrementAndGet();
        cluster.awaitReplication(Duration.ofSeconds(30));
        String before = get(impl, "/users/" + id, null).body();
        cluster.replicas().forEach(PgNode::pauseReplay);
        try {
            HttpResponse<String> put = put(impl, "/users/" + id + "/profile",
                    form("name", "Renamed " + impl, "city", "Lyon", "bio", "hello"));
            assertThat(put.statusCode()).isEqualTo(204);
            @Nullable String token = put.headers().firstValue(ConsistencySession.HEADER).orElse(null);

            assertThat(get(impl, "/users/" + id, token).body())
                    .contains("\"name\":\"Renamed " + impl + "\"", "\"city\":\"Lyon\"", "\"bio\":\"hello\"");
            if (!impl.equals("naive")) {
                assertThat(get(impl, "/users/" + id, null).body())
                        .as("without the token the paused replica answers, stale").isEqualTo(before);
            }
        } finally {
            cluster.replicas().forEach(PgNode::resumeReplay);
        }
        assertThat(put(impl, "/users/99999/profile", form("name", "Nobody")).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void aSignupWithUnknownCodesATakenEmailOrAMissingGroupIsRefusedAndWritesNothing(String impl) throws Exception {
        long users = users();
        String taken = "user1@example.org";
        assertThat(post(impl, "/signup", signup(email(), "Ann", "XX", "en", 1)).statusCode()).isEqualTo(400);
        assertThat(post(impl, "/signup", signup(email(), "Ann", "DE", "xx", 1)).statusCode()).isEqualTo(400);
        assertThat(post(impl, "/signup", signup(taken, "Ann", "DE", "de", 1)).statusCode()).isEqualTo(409);
        HttpResponse<String> missingGroup = post(impl, "/signup", signup(email(), "Ann", "DE", "de", 99_999));
        assertThat(missingGroup.statusCode()).isEqualTo(404);
        assertThat(missingGroup.body()).isEqualTo("{\"error\":\"group not found\"}");
        assertThat(users()).isEqualTo(users);
    }

    // ---- hostile input is inert (issue 9) ----

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void sqlInASignupIsStoredLiterallyAndEveryTableSurvives(String impl) throws Exception {
        long users = users();
        String name = "Robert'); DROP TABLE users; --";
        String city = "x' OR '1'='1";
        String email = "bobby'--" + email();
        HttpResponse<String> created = post(impl, "/signup", form("email", email, "name", name, "country", "DE",
                "language", "de", "city", city, "group", String.valueOf(EMPTY_GROUP)));
        assertThat(created.statusCode()).isEqualTo(201);
        long id = Long.parseLong(created.body().replaceAll("\\D", ""));

        assertThat(users()).as("exactly one row more, the table intact").isEqualTo(users + 1);
        assertThat(cluster.primary().queryValue("select display_name from users where id = ?", id)).isEqualTo(name);
        assertThat(cluster.primary().queryValue("select city from users where id = ?", id)).isEqualTo(city);
        assertThat(cluster.primary().queryValue("select email from users where id = ?", id)).isEqualTo(email);
        assertThat(get(impl, "/users/" + id, created.headers().firstValue(ConsistencySession.HEADER).orElse(null))
                .body()).contains("\"name\":\"Robert'); DROP TABLE users; --\"");
        assertTablesSurvive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void sqlAndWildcardsInASearchAreMatchedLiterally(String impl) throws Exception {
        String literal = "%_\\ wild " + impl;
        HttpResponse<String> created = post(impl, "/signup", signup(email(), literal, "DE", "de", EMPTY_GROUP));
        assertThat(created.statusCode()).isEqualTo(201);
        cluster.awaitReplication(Duration.ofSeconds(30));

        for (String q : List.of("' OR '1'='1", "a' OR 1=1; --", "x'; DROP TABLE membership; --", "') --")) {
            HttpResponse<String> hits = get(impl, "/search?q=" + encode(q), null);
            assertThat(hits.statusCode()).as(q).isEqualTo(200);
            assertThat(hits.body()).as(q).isEqualTo("[]");
        }
        String wild = get(impl, "/search?q=" + encode("%_\\"), null).body();
        assertThat(wild).as("%, _ and \\ match only themselves").contains("\"name\":\"%_\\\\ wild " + impl + "\"")
                .doesNotContain("Ada ", "Alan ");
        assertThat(get(impl, "/search?q=" + encode("%"), null).body()).doesNotContain("Ada ");
        assertThat(get(impl, "/search?q=" + encode("_"), null).body()).isEqualTo("[]");
        assertTablesSurvive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void sqlInAProfileUpdateIsStoredLiterallyAndChangesOnlyThatUser(String impl) throws Exception {
        long id = EDITABLE.incrementAndGet();
        String other = cluster.primary().queryValue("select display_name from users where id = ?", id + 1)
                .toString();
        String name = "x', display_name = 'hacked";
        String bio = "'; UPDATE users SET bio = 'owned'; --";
        assertThat(put(impl, "/users/" + id + "/profile", form("name", name, "bio", bio)).statusCode())
                .isEqualTo(204);
        assertThat(cluster.primary().queryValue("select display_name from users where id = ?", id)).isEqualTo(name);
        assertThat(cluster.primary().queryValue("select bio from users where id = ?", id)).isEqualTo(bio);
        assertThat(cluster.primary().queryValue("select display_name from users where id = ?", id + 1))
                .isEqualTo(other);
        assertThat(cluster.primary().queryValue("select count(*) from users where bio = 'owned'")).isEqualTo(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void sqlInAPathIsRefusedAsAMalformedId(String impl) throws Exception {
        for (String path : List.of("/users/1%20or%201=1", "/users/1;drop%20table%20users", "/groups/1'--/members",
                "/users/-1", "/users/99999999999999999999")) {
            HttpResponse<String> response = get(impl, path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("must be a positive number");
        }
        assertTablesSurvive();
    }

    // ---- oversized input is refused before the database (issue 9) ----

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void aHugeBodyIsRefusedWith413AndWritesNothing(String impl) throws Exception {
        long users = users();
        String huge = "A".repeat(1024 * 1024);
        HttpResponse<String> response = post(impl, "/signup", signup(email(), huge, "DE", "de", 1));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"error\":\"the body must be at most 16384 bytes\"}");
        assertThat(users()).isEqualTo(users);
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void oversizedFieldsAreRefusedWith400AndWriteNothing(String impl) throws Exception {
        long users = users();
        HttpResponse<String> longName = post(impl, "/signup", signup(email(), "N".repeat(101), "DE", "de", 1));
        assertThat(longName.statusCode()).isEqualTo(400);
        assertThat(longName.body()).isEqualTo(
                "{\"error\":\"name must be at most 100 characters, but has 101\"}");
        String longEmail = "e".repeat(300) + "@example.org";
        assertThat(post(impl, "/signup", signup(longEmail, "Ann", "DE", "de", 1)).statusCode()).isEqualTo(400);
        assertThat(post(impl, "/signup", "email=%zz&name=x").statusCode()).as("broken URL encoding")
                .isEqualTo(400);
        assertThat(users()).isEqualTo(users);

        long id = EDITABLE.incrementAndGet();
        Object bio = cluster.primary().queryValue("select coalesce(bio, '') from users where id = ?", id);
        HttpResponse<String> longBio = put(impl, "/users/" + id + "/profile",
                form("name", "Short", "bio", "b".repeat(Inputs.MAX_BIO + 1)));
        assertThat(longBio.statusCode()).isEqualTo(400);
        assertThat(longBio.body()).contains("bio must be at most 2000 characters");
        assertThat(cluster.primary().queryValue("select coalesce(bio, '') from users where id = ?", id))
                .isEqualTo(bio);
        assertThat(cluster.primary().queryValue("select display_name from users where id = ?", id))
                .isNotEqualTo("Short");
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void oversizedOrMissingSearchQueriesAreRefusedWith4xx(String impl) throws Exception {
        HttpResponse<String> tooLong = get(impl, "/search?q=" + "q".repeat(Inputs.MAX_QUERY + 1), null);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("q must be at most 100 characters");
        assertThat(get(impl, "/search", null).statusCode()).isEqualTo(400);
        assertThat(get(impl, "/search?q=an&limit=5000", null).statusCode()).isEqualTo(400);
        int huge = get(impl, "/search?q=" + "q".repeat(200_000), null).statusCode();
        assertThat(huge).as("a 200 kB query string").isBetween(400, 499);
    }

    @ParameterizedTest
    @ValueSource(strings = {"naive", "junction", "tuned"})
    void unknownEndpointsAndWrongMethodsGet404And405(String impl) throws Exception {
        assertThat(get(impl, "/nope", null).statusCode()).isEqualTo(404);
        assertThat(get(impl, "/signup", null).statusCode()).isEqualTo(405);
        assertThat(post(impl, "/users/1", "").statusCode()).isEqualTo(405);
    }

    // ---- helpers ----

    private static void assertTablesSurvive() {
        for (String table : List.of("users", "groups", "membership", "country", "role")) {
            assertThat(cluster.primary().queryValue("select to_regclass(?)::text", table)).as(table)
                    .isEqualTo(table);
        }
        assertThat((Long) cluster.primary().queryValue("select count(*) from membership")).isGreaterThan(USERS);
    }

    private static long users() {
        return (Long) cluster.primary().queryValue("select count(*) from users");
    }

    private static String email() {
        return "new" + EMAILS.incrementAndGet() + "@example.org";
    }

    private static String signup(String email, String name, String country, String language, long group) {
        return form("email", email, "name", name, "country", country, "language", language, "group",
                String.valueOf(group));
    }

    private static String form(String... keyValues) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            s.append(i == 0 ? "" : "&").append(encode(keyValues[i])).append('=').append(encode(keyValues[i + 1]));
        }
        return s.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static URI uri(String impl, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + services.get(impl).port() + pathAndQuery);
    }

    private static HttpResponse<String> get(String impl, String path, @Nullable String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(impl, path)).GET();
        if (token != null) {
            request.header(ConsistencySession.HEADER, token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String impl, String path, String form)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(impl, path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String impl, String path, String form)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(impl, path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
