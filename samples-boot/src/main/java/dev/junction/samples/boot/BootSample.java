package dev.junction.samples.boot;

import dev.junction.samples.service.SampleData;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The group directory on Spring Boot with the Junction starter: {@link DirectoryController}'s endpoints, Flyway's
 * migrations on the primary through the starter's DataSource, health on {@code /actuator/health}. {@link #main}
 * starts an embedded primary with two replicas and hands their addresses to the starter as {@code junction.*}
 * properties; against a real cluster the same properties go into {@code application.yaml}. Run it with
 * {@code ./dev boot-sample}.
 */
@SpringBootApplication
public class BootSample {
    static final int USERS = 2_000;
    static final int GROUPS = 100;

    /** Seeds the migrated schema once, through the primary's DataSource (the one Flyway used). */
    @Bean
    ApplicationRunner seed(@FlywayDataSource DataSource primary) {
        return args -> SampleData.seed(primary, USERS, GROUPS);
    }

    /** The properties that point the starter at {@code cluster}; everything else is in application.yaml. */
    static Map<String, Object> clusterProperties(EmbeddedPostgresCluster cluster) {
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
        return p;
    }

    static ConfigurableApplicationContext start(EmbeddedPostgresCluster cluster, Map<String, Object> extra) {
        Map<String, Object> p = clusterProperties(cluster);
        p.putAll(extra);
        return new SpringApplicationBuilder(BootSample.class).properties(p).run();
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(2).start();
             ConfigurableApplicationContext context = start(cluster, Map.of())) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            System.out.println();
            System.out.println("Junction Boot sample on " + base + " (Ctrl-C stops it and the cluster):");
            System.out.println("  curl -i " + base + "/users/1");
            System.out.println("  curl -i -X PUT -d 'name=Ada Lovelace&city=London&bio=first' " + base
                    + "/users/1/profile");
            System.out.println("  curl -i -H 'Junction-Consistency: <token from the PUT>' " + base + "/users/1");
            System.out.println("  curl " + base + "/groups/1/members");
            System.out.println("  curl " + base + "/actuator/health");
            Thread.currentThread().join();
        }
    }
}
