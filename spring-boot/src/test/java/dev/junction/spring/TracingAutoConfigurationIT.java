package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue 22: with an {@code ObservationRegistry} bean (Boot's observation auto-configuration, fed with the
 * application's tracing handler), the starter's Database traces its units; a parallel group's works see the caller's
 * MDC (Logback's, as in an application) and trace.
 */
@WithEmbeddedCluster(replicas = 1)
class TracingAutoConfigurationIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute(TestApp.SCHEMA);
        cluster.primary().execute("grant all on note to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    /** What an application with Micrometer Tracing has: a tracer and its observation handler as beans. */
    @Configuration(proxyBeanMethods = false)
    static class Tracing {
        @Bean
        SimpleTracer tracer() {
            return new SimpleTracer();
        }

        @Bean
        DefaultTracingObservationHandler tracingHandler(SimpleTracer tracer) {
            return new DefaultTracingObservationHandler(tracer);
        }
    }

    @Test
    void theRegistryBeanTracesEveryUnitAndParallelWorksSeeTheCallersMdcAndTrace(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class, Tracing.class)
                .web(WebApplicationType.NONE).properties(TestApp.properties(cluster)).run()) {
            Database db = context.getBean(Database.class);
            SimpleTracer tracer = context.getBean(SimpleTracer.class);
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            List<String> mdc = new CopyOnWriteArrayList<>();
            List<String> traces = new CopyOnWriteArrayList<>();
            Observation request = Observation.start("request", registry);
            MDC.put("request.id", "req-22");
            try (Observation.Scope scope = request.openScope()) {
                db.parallel(ctx -> {
                    mdc.add(String.valueOf(MDC.get("request.id")));
                    traces.add(tracer.currentSpan().context().traceId());
                    return ctx.fetchValue("select count(*) from note");
                }, ctx -> {
                    mdc.add(String.valueOf(MDC.get("request.id")));
                    traces.add(tracer.currentSpan().context().traceId());
                    return ctx.fetchValue("select 1");
                });
            } finally {
                MDC.remove("request.id");
                request.stop();
            }
            String traceId = tracer.getSpans().stream().filter(s -> s.getName().equals("request")).findFirst()
                    .orElseThrow().getTraceId();
            assertThat(mdc).as("the caller's MDC in each work").containsExactly("req-22", "req-22");
            assertThat(traces).as("the caller's trace in each work").containsOnly(traceId).hasSize(2);
            List<SimpleSpan> groups = tracer.getSpans().stream()
                    .filter(s -> "parallel".equals(s.getTags().get("junction.unit.kind"))).toList();
            assertThat(groups).singleElement().satisfies(g -> assertThat(g.getTraceId()).isEqualTo(traceId));
            assertThat(tracer.getSpans().stream().filter(s -> s.getTags().containsKey("db.system.name"))
                    .map(SimpleSpan::getParentId)).containsOnly(groups.get(0).getSpanId()).hasSize(2);
        }
    }
}
