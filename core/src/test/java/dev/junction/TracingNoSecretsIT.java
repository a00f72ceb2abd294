package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.testkit.EmbeddedPostgresCluster;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: no bind value and no password reaches a span, checked as NoSecretsIT checks logs. The password sits in
 * the JDBC URL's parameters (where server.address and server.port are read from) and in the pool's configuration;
 * statements bind and inline values, and fail with server errors that quote them.
 */
class TracingNoSecretsIT {
    private static final String PASSWORD = "Pw-22tr-secret";
    private static final String BIND_TEXT = "bind-3Kx9-value";
    private static final long BIND_NUMBER = 73129405L;

    private static EmbeddedPostgresCluster cluster;
    private SimpleTracer tracer;
    private HikariDataSource pool;
    private Database db;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedPostgresCluster.builder().replicas(0).password(PASSWORD).start();
        cluster.primary().execute("create table traced_member (id bigint primary key, label text not null)");
        cluster.primary().execute("create table traced_role (id bigint primary key, member_id bigint not null)");
        cluster.primary().execute("grant all on traced_member, traced_role to " + cluster.user());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void start() {
        tracer = new SimpleTracer();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.primary().jdbcUrl() + "?password=" + PASSWORD + "&ApplicationName=traced");
        config.setUsername(cluster.user());
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        db = Junction.builder().dataSource(pool).observationRegistry(registry).build();
    }

    @AfterEach
    void stop() {
        db.close();
        pool.close();
    }

    /** Like NoSecretsIT does for logs: every name, key value, event and error of every span is searched. */
    @Test
    void noBindValueAndNoPasswordReachAnySpan() {
        db.read(ctx -> ctx.fetch("select label from traced_member where label <> ?", BIND_TEXT));
        db.read(ctx -> ctx.fetch("select label from traced_member where label <> '" + BIND_TEXT + "'"));
        Commit<Integer> c = db.write(ctx -> ctx.execute("insert into traced_member values (?, ?)", BIND_NUMBER,
                BIND_TEXT));
        db.read(Consistency.after(c.token()), ctx -> ctx.fetch("select id from traced_member where id = "
                + BIND_NUMBER));
        failure(() -> db.write(ctx -> ctx.execute("insert into traced_member values (?, ?)", BIND_NUMBER,
                BIND_TEXT)));
        failure(() -> db.write(ctx -> ctx.batch(ctx.query("insert into traced_role values (?, ?)", (Object) null,
                null)).bind(BIND_NUMBER + 1, BIND_NUMBER).bind(BIND_NUMBER + 1, BIND_NUMBER).execute()));
        failure(() -> db.read(ctx -> ctx.execute("update traced_member set label = ? where id = ?", BIND_TEXT,
                BIND_NUMBER)));
        failure(() -> db.parallel(ctx -> ctx.fetch("select ?::int", BIND_TEXT),
                ctx -> ctx.fetch("select label from traced_member where label = ?", BIND_TEXT)));

        StringBuilder everything = new StringBuilder();
        for (SimpleSpan s : tracer.getSpans()) {
            everything.append(s.getName()).append('\n');
            s.getTags().forEach((k, v) -> everything.append(k).append('=').append(v).append('\n'));
            s.getEvents().forEach(e -> everything.append(e.getValue()).append('\n'));
            for (Throwable t = s.getError(); t != null; t = t.getCause()) {
                everything.append(t).append('\n');
            }
        }
        assertThat(tracer.getSpans()).as("the capture sees the units' spans").hasSizeGreaterThanOrEqualTo(20);
        assertThat(everything).as("the spans record the failures and the server").contains("error.type=23505")
                .contains("server.address=127.0.0.1")
                .contains("error.type=22P02");
        for (String secret : List.of(BIND_TEXT, Long.toString(BIND_NUMBER), Long.toString(BIND_NUMBER + 1),
                PASSWORD)) {
            assertThat(everything.toString()).as("every span attribute").doesNotContain(secret);
        }
    }

    private static void failure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException expected) {
            return;
        }
        throw new AssertionError("expected a failure");
    }

}
