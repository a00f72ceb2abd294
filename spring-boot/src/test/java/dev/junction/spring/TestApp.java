package dev.junction.spring;

import dev.junction.Commit;
import dev.junction.Database;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the ITs start: nothing but auto-configuration, the {@code junction.*} properties of an embedded
 * cluster, and one controller that writes and reads notes through the starter's Database.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApp {
    static final String SCHEMA = "create table if not exists note (id bigint primary key, body text not null)";

    /** The properties that describe {@code cluster} to the starter: small pools, a fast monitor. */
    static Map<String, Object> properties(EmbeddedPostgresCluster cluster) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("junction.credentials.user", cluster.user());
        p.put("junction.credentials.password", cluster.password());
        p.put("junction.nodes[0].name", "primary");
        p.put("junction.nodes[0].url", cluster.primary().jdbcUrl());
        p.put("junction.nodes[0].role", "primary");
        int i = 1;
        for (PgNode replica : cluster.replicas()) {
            p.put("junction.nodes[" + i + "].name", replica.name());
            p.put("junction.nodes[" + i + "].url", replica.jdbcUrl());
            p.put("junction.nodes[" + i + "].role", "replica");
            i++;
        }
        p.put("junction.pool.primary.maximum-pool-size", 3);
        p.put("junction.pool.replica.maximum-pool-size", 2);
        p.put("junction.monitor.interval", "100ms");
        p.put("spring.flyway.enabled", false);
        p.put("spring.main.banner-mode", "off");
        return p;
    }

    static boolean inRecovery(DSLContext ctx) {
        return ctx.select(DSL.field("pg_is_in_recovery()", Boolean.class)).fetchSingle().value1();
    }

    static ConfigurableApplicationContext start(Map<String, Object> properties, WebApplicationType type) {
        return new SpringApplicationBuilder(TestApp.class).web(type).properties(properties).run();
    }

    /** Writes and reads notes; the consistency filter and the Database bean carry the token. */
    @RestController
    static class Notes {
        private final Database db;

        Notes(Database db) {
            this.db = db;
        }

        @PostMapping("/notes/{id}")
        String save(@PathVariable("id") long id, @RequestBody String body) {
            Commit<Integer> c = db.write(tx -> tx.execute("insert into note (id, body) values (?, ?) on conflict (id)"
                    + " do update set body = excluded.body", id, body));
            return "saved " + c.value();
        }

        @GetMapping("/notes/{id}")
        String find(@PathVariable("id") long id) {
            String body = db.read(ctx -> ctx.fetchValue(DSL.field("(select body from note where id = ?)",
                    String.class, id)));
            return body == null ? "none" : body;
        }

        @GetMapping("/where")
        String where() {
            return Boolean.toString(db.read(TestApp::inRecovery));
        }
    }
}
