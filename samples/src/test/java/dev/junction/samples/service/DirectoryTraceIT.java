package dev.junction.samples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.routing.NodeConfig;
import dev.junction.routing.PoolSettings;
import dev.junction.routing.RoutingConfig;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the sample service's traces, taken with Micrometer Tracing's SimpleTracer (the real
 * DefaultTracingObservationHandler) on a real primary and replica. The member page (JunctionDirectory.members: the
 * group and its member page as two parallel reads) is rendered to {@code samples/target/tracing/member-page.svg},
 * the picture docs/tracing.md shows (copied to docs/ after a run). The search shows a graph fetch as its own span.
 */
class DirectoryTraceIT {
    private static final Predicate<SimpleSpan> STATEMENT = s -> s.getTags().containsKey("db.system.name");

    private static EmbeddedPostgresCluster cluster;
    private static SimpleTracer tracer;
    private static ObservationRegistry registry;
    private static JunctionDirectory directory;
    /**
     * Start and end of each span by span id, in nanoseconds: SimpleSpan keeps milliseconds, too coarse for a picture
     * of sub-millisecond acquisitions.
     */
    private static final Map<String, long[]> NANOS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
        SampleData.migrateAndSeed(cluster, 200, 8);
        cluster.awaitReplication(Duration.ofSeconds(30));
        tracer = new SimpleTracer();
        registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer))
                .observationHandler(new ObservationHandler<Observation.Context>() {
                    // Registered after the tracing handler: at start the span exists, at stop it still does.
                    @Override
                    public void onStart(Observation.Context context) {
                        NANOS.put(spanId(context), new long[] {System.nanoTime(), 0});
                    }

                    @Override
                    public void onStop(Observation.Context context) {
                        NANOS.get(spanId(context))[1] = System.nanoTime();
                    }

                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }
                });
        PgNode replica = cluster.replicas().get(0);
        directory = JunctionDirectory.create(RoutingConfig.builder()
                .credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary(cluster.primary().name(), cluster.primary().jdbcUrl()))
                .node(NodeConfig.replica(replica.name(), replica.jdbcUrl()))
                .primaryPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(2).build())
                .replicaPool(PoolSettings.builder().maximumPoolSize(4).minimumIdle(2).build())
                .build(), registry);
    }

    @AfterAll
    static void stop() {
        try {
            if (directory != null) {
                directory.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @BeforeEach
    void clear() {
        tracer.getSpans().clear();
    }

    @Test
    void theMemberPageIsOneParallelGroupWithBothStatementsUnderItInTheRequestsTrace() throws Exception {
        // The first page of a fresh directory also loads the lookup tables it shows; LookupLoadTracingIT (core)
        // shows those loads in the caller's trace. Here the page as every later request sees it.
        assertThat(directory.members(1, null)).isPresent();
        tracer.getSpans().clear();
        SimpleSpan warm = request("GET /groups/{id}/members", () -> assertThat(directory.members(1, null))
                .isPresent());
        List<SimpleSpan> trace = trace(warm);
        assertThat(trace).filteredOn(s -> s.getTags().containsKey("junction.unit.kind")).singleElement()
                .satisfies(group -> {
                    assertThat(group.getTags()).containsEntry("junction.unit.kind", "parallel")
                            .containsEntry("junction.group.works", "2").containsEntry("junction.statements", "2");
                    assertThat(group.getParentId()).isEqualTo(warm.getSpanId());
                });
        SimpleSpan group = trace.stream().filter(s -> s.getTags().containsKey("junction.unit.kind")).findFirst()
                .orElseThrow();
        assertThat(trace).filteredOn(STATEMENT).allSatisfy(s -> {
            assertThat(s.getParentId()).as("each work's statement is a child of the group")
                    .isEqualTo(group.getSpanId());
            assertThat(s.getTags()).containsEntry("junction.node.role", "replica");
        });
        assertThat(trace).filteredOn(STATEMENT).extracting(SimpleSpan::getName)
                .as("named by their tables, those in FROM clauses past the shape's length included")
                .containsExactlyInAnyOrder("SELECT public.membership public.groups",
                        "SELECT public.membership public.users public.role");

        Path out = Path.of("target", "tracing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("member-page.svg"), TraceTimeline.svg(
                "GET /groups/{id}/members: the member page's trace (DirectoryTraceIT)",
                trace.stream().map(DirectoryTraceIT::bar).toList()));
    }

    @Test
    void aSearchIsAReadWithItsGraphFetchAsANestedSpanOverTheFetchsStatements() throws Exception {
        directory.search("a", 5, null); // loads the lookup tables the hits show, outside the trace looked at
        tracer.getSpans().clear();

        SimpleSpan request = request("GET /search", () -> assertThat(directory.search("a", 5, null)).isNotEmpty());
        List<SimpleSpan> trace = trace(request);
        List<SimpleSpan> units = trace.stream().filter(s -> s.getTags().containsKey("junction.unit.kind")).toList();
        assertThat(units).extracting(s -> s.getTags().get("junction.unit.kind")).containsExactlyInAnyOrder("read",
                "graph");
        SimpleSpan read = units.stream().filter(s -> "read".equals(s.getTags().get("junction.unit.kind")))
                .findFirst().orElseThrow();
        SimpleSpan graph = units.stream().filter(s -> "graph".equals(s.getTags().get("junction.unit.kind")))
                .findFirst().orElseThrow();
        assertThat(read.getParentId()).isEqualTo(request.getSpanId());
        assertThat(graph.getParentId()).as("the fetch is a section of the read").isEqualTo(read.getSpanId());
        assertThat(graph.getTags().get("junction.graph.strategy")).isIn("join", "multiset", "per-level");
        assertThat(graph.getName()).isEqualTo("junction graph " + graph.getTags().get("junction.graph.strategy"));
        assertThat(graph.getTags()).containsEntry("outcome", "success");
        List<SimpleSpan> statements = trace.stream().filter(STATEMENT).toList();
        assertThat(statements).extracting(SimpleSpan::getName).as("the fetch's message, named by its selects")
                .allSatisfy(name -> assertThat(name).startsWith("SELECT public.users"));
        assertThat(statements).isNotEmpty().allSatisfy(s -> assertThat(s.getParentId())
                .as("every statement of the fetch is a child of the graph span").isEqualTo(graph.getSpanId()));
        // A statement span is one message on the wire: the fetch's levels may travel together (round trips).
        assertThat(graph.getTags()).containsEntry("junction.round_trips", Integer.toString(statements.size()));
        assertThat(graph.getStartTimestamp()).isAfterOrEqualTo(read.getStartTimestamp());
        assertThat(graph.getEndTimestamp()).isBeforeOrEqualTo(read.getEndTimestamp());

        Path out = Path.of("target", "tracing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("search.svg"), TraceTimeline.svg(
                "GET /search: a read whose graph fetch is its own span (DirectoryTraceIT)",
                trace.stream().map(DirectoryTraceIT::bar).toList()));
    }

    /** {@code page} inside a request span, as a web framework's server observation would wrap it. */
    private static SimpleSpan request(String name, Runnable page) {
        Observation request = Observation.createNotStarted("http.server.requests", registry).contextualName(name)
                .start();
        try (Observation.Scope scope = request.openScope()) {
            page.run();
        } finally {
            request.stop();
        }
        return tracer.getSpans().stream().filter(s -> s.getName().equals(name)).reduce((a, b) -> b).orElseThrow();
    }

    private static List<SimpleSpan> trace(SimpleSpan root) {
        return tracer.getSpans().stream().filter(s -> s.getTraceId().equals(root.getTraceId())).toList();
    }

    private static String spanId(Observation.Context context) {
        TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
        return tracing == null || tracing.getSpan() == null ? "" : tracing.getSpan().context().spanId();
    }

    private static TraceTimeline.Bar bar(SimpleSpan s) {
        // Every span here comes from an observation, so each has its nanoseconds; one time base for all bars.
        long[] nanos = NANOS.get(s.getSpanId());
        assertThat(nanos).as("the timing of span " + s.getName()).isNotNull();
        Instant start = Instant.EPOCH.plusNanos(nanos[0]);
        Instant end = Instant.EPOCH.plusNanos(nanos[1]);
        return new TraceTimeline.Bar(s.getSpanId(), s.getParentId() == null ? "" : s.getParentId(), s.getName(),
                start, end, s.getTags());
    }
}
