package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: units of work traced through Micrometer's Observation API, seen as spans by Micrometer Tracing's
 * SimpleTracer (the real DefaultTracingObservationHandler), on a real primary and replica. The caller's context in
 * parallel works is shown here with an application's ThreadLocalAccessor; the MDC (slf4j-simple has none) in
 * spring-boot's TracingAutoConfigurationIT, on Logback. No secrets in spans: TracingNoSecretsIT.
 */
@WithEmbeddedCluster(replicas = 1)
class TracingIT {
    private static final String BIND_TEXT = "bind-3Kx9-value";
    private static final long BIND_NUMBER = 73129405L;
    /** An application's own thread-local, registered with context-propagation as an application would. */
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    private SimpleTracer tracer;
    private ObservationRegistry registry;
    private TwoPoolRouter router;
    private Database db;

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        ContextRegistry.getInstance().registerThreadLocalAccessor("test.tenant", TENANT::get, TENANT::set,
                TENANT::remove);
        cluster.primary().execute("create table traced_member (id bigint primary key, label text not null)");
        cluster.primary().execute("create table traced_role (id bigint primary key, member_id bigint not null)");
        cluster.primary().execute("grant all on traced_member, traced_role to " + cluster.user());
    }

    @BeforeEach
    void start(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("truncate traced_member, traced_role");
        tracer = new SimpleTracer();
        registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        router = new TwoPoolRouter(cluster, 4);
        db = Junction.builder().router(router).observationRegistry(registry).build();
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @AfterAll
    static void unregister() {
        ContextRegistry.getInstance().removeThreadLocalAccessor("test.tenant");
    }

    @Test
    void aParallelGroupIsOneUnitSpanWithBothWorksStatementsUnderItInTheCallersTrace() {
        List<String> tenantInWorks = new CopyOnWriteArrayList<>();
        List<String> traceInWorks = new CopyOnWriteArrayList<>();
        Observation request = Observation.createNotStarted("http.server.requests", registry)
                .contextualName("GET /members/{id}").start();
        TENANT.set("tenant-22");
        try (Observation.Scope scope = request.openScope()) {
            db.parallel(ctx -> {
                tenantInWorks.add(String.valueOf(TENANT.get()));
                traceInWorks.add(tracer.currentSpan().context().traceId());
                return ctx.fetch("select id, label from traced_member where id = ?", BIND_NUMBER).size();
            }, ctx -> {
                tenantInWorks.add(String.valueOf(TENANT.get()));
                traceInWorks.add(tracer.currentSpan().context().traceId());
                return ctx.fetch("select id from traced_role where member_id = ?", BIND_NUMBER).size();
            });
        } finally {
            request.stop();
            TENANT.remove();
        }

        SimpleSpan caller = span("GET /members/{id}");
        List<SimpleSpan> units = spansOf("junction.unit.kind");
        assertThat(units).singleElement().satisfies(group -> {
            assertThat(group.getName()).isEqualTo("junction parallel");
            assertThat(group.getParentId()).as("the group's parent is the caller's span").isEqualTo(
                    caller.getSpanId());
            assertThat(group.getTraceId()).isEqualTo(caller.getTraceId());
            assertThat(group.getTags()).containsEntry("junction.unit.kind", "parallel")
                    .containsEntry("outcome", "success").containsEntry("junction.node.role", "replica")
                    .containsEntry("junction.consistency", "eventual").containsEntry("junction.statements", "2")
                    .containsEntry("junction.group.works", "2").containsKey("junction.pool.wait_ms");
        });
        String groupId = units.get(0).getSpanId();
        List<SimpleSpan> statements = spansOf("db.system.name");
        assertThat(statements).hasSize(2).allSatisfy(s -> {
            assertThat(s.getParentId()).as("each work's statement is a child of the group").isEqualTo(groupId);
            assertThat(s.getTraceId()).isEqualTo(caller.getTraceId());
            assertThat(s.getTags()).containsEntry("db.system.name", "postgresql")
                    .containsEntry("db.operation.name", "SELECT").containsEntry("junction.node", "replica-1")
                    .containsEntry("server.address", "127.0.0.1")
                    .containsEntry("server.port", Integer.toString(clusterReplicaPort()));
        });
        assertThat(statements).extracting(SimpleSpan::getName)
                .containsExactlyInAnyOrder("SELECT traced_member", "SELECT traced_role");
        assertThat(spansOf("junction.route.reason")).as("one connection acquisition per work").hasSize(2)
                .allSatisfy(a -> assertThat(a.getParentId()).isEqualTo(groupId));
        assertThat(tenantInWorks).as("the application's accessor's value in each work")
                .containsExactly("tenant-22", "tenant-22");
        assertThat(traceInWorks).containsOnly(caller.getTraceId()).hasSize(2);
    }

    @Test
    void aWriteIsOneUnitSpanWithItsStatementsAndAReadsFailureCarriesOnlyItsSqlState() {
        db.write(ctx -> ctx.execute("insert into traced_member values (?, ?)", BIND_NUMBER, BIND_TEXT));
        assertThatThrownBy(() -> db.write(ctx -> ctx.execute("insert into traced_member values (?, ?)",
                BIND_NUMBER, BIND_TEXT))).hasMessageContaining("duplicate key");

        List<SimpleSpan> units = spansOf("junction.unit.kind");
        assertThat(units).hasSize(2).allSatisfy(u -> assertThat(u.getTags())
                .containsEntry("junction.unit.kind", "write").containsEntry("junction.node.role", "primary")
                .containsEntry("junction.node", "primary"));
        assertThat(units.get(1).getTags()).containsEntry("outcome", "failure").containsEntry("error.type", "23505");
        assertThat(units.get(1).getError()).hasMessageContaining("23505");
        List<SimpleSpan> inserts = spansOf("db.system.name").stream()
                .filter(s -> "INSERT".equals(s.getTags().get("db.operation.name"))).toList();
        assertThat(inserts).hasSize(2).allSatisfy(s -> assertThat(s.getTags())
                .containsEntry("db.query.summary", "INSERT traced_member")
                .containsEntry("db.query.text", "insert into traced_member values (?, ?)"));
        assertThat(inserts.get(1).getTags()).containsEntry("outcome", "failure").containsEntry("error.type",
                "23505");
    }

    private int clusterReplicaPort() {
        String url = router.replica.getJdbcUrl();
        return Integer.parseInt(url.replaceAll("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
    }

    private SimpleSpan span(String name) {
        return tracer.getSpans().stream().filter(s -> name.equals(s.getName())).findFirst().orElseThrow();
    }

    /** Finished spans carrying {@code key}, in the order they ended. */
    private List<SimpleSpan> spansOf(String key) {
        List<SimpleSpan> out = new ArrayList<>();
        for (SimpleSpan s : tracer.getSpans()) {
            Map<String, String> tags = s.getTags();
            if (tags.containsKey(key)) {
                out.add(s);
            }
        }
        return out;
    }
}
