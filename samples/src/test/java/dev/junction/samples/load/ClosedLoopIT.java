package dev.junction.samples.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.samples.service.Directory;
import dev.junction.samples.service.DirectoryService;
import dev.junction.samples.service.SampleData;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short closed loop against the three implementations through the proxy: every request of the mix succeeds (the
 * read-backs see their writes: none is stale), the progress line appears, and Junction and the tuned rival need
 * fewer database round trips per request than the naive code.
 */
class ClosedLoopIT {
    private static EmbeddedPostgresCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
        SampleData.migrateAndSeed(cluster, 500, 20);
        cluster.awaitReplication(Duration.ofSeconds(30));
        cluster.nodes().forEach(n -> n.proxy().latency(Duration.ofNanos(500_000)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyImplementationServesTheWholeMixWithoutStaleReadBacksAndJunctionNeedsFewerRoundTripsPerRequest()
            throws Exception {
        // Long enough for one progress line (every 10 s), short enough for a test.
        ClosedLoop.Settings settings = new ClosedLoop.Settings(8, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMillis(20), Duration.ofSeconds(30), 500, 20);
        Map<String, LoadResult> results = new HashMap<>();
        Set<Long> postmasters = new HashSet<>();
        cluster.nodes().forEach(n -> n.pid().ifPresent(postmasters::add));
        for (String impl : LoadBench.Options.IMPLS) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            try (Directory directory = LoadBench.directory(impl, cluster, Duration.ofSeconds(30));
                 DirectoryService service = DirectoryService.start(directory)) {
                LoadResult r = new ClosedLoop(settings).run(service, 1.0, postmasters,
                        new PrintStream(progress, true, StandardCharsets.UTF_8));
                results.put(impl, r);
                assertThat(r.requests()).as(impl).isGreaterThan(20);
                assertThat(r.errors()).as("%s: %s", impl, r.errorsByKind()).isZero();
                assertThat(r.p50Ms()).isPositive().isLessThanOrEqualTo(r.p95Ms());
                assertThat(r.p95Ms()).isLessThanOrEqualTo(r.p99Ms());
                assertThat(r.endpoints()).as(impl).containsKeys("members", "search", "profile_update",
                        "profile_read_back");
                assertThat(r.endpoints().values().stream().mapToLong(LoadResult.Endpoint::requests).sum())
                        .isEqualTo(r.requests());
                assertThat(r.sheds()).as("an unbounded queue sheds nothing").isZero();
            }
            assertThat(progress.toString(StandardCharsets.UTF_8)).as(impl)
                    .containsPattern(impl + ", 8 users: \\d+ s of 11 s, \\d+ requests so far, 0 errors");
        }
        // Per request of the mix: naive at least a list query, relations and a commit; junction mostly one statement.
        assertThat(results.get("naive").roundTripsPerRequest()).isGreaterThan(4);
        assertThat(results.get("junction").roundTripsPerRequest()).isLessThan(3)
                .isLessThan(results.get("naive").roundTripsPerRequest() / 2);
        assertThat(results.get("tuned").roundTripsPerRequest()).isLessThan(results.get("naive").roundTripsPerRequest());
    }
}
