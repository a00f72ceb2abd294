package dev.junction.samples.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.samples.db.graphs.TailorGraph;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The generated graph fetch returns what the naive list-then-relations code returns, in one statement (issue 6). */
class TailorDirectoryIT {
    private static EmbeddedPostgresCluster cluster;
    private static Database db;

    @BeforeAll
    static void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(cluster.primary().jdbcUrl());
        ds.setUser(cluster.user());
        ds.setPassword(cluster.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        db = Junction.builder().dataSource(ds).build();
        Random random = new Random(7);
        String[] cities = {"Berlin", "Lyon", "Utrecht"};
        for (int u = 1; u <= 60; u++) {
            long user = u;
            String city = cities[random.nextInt(cities.length)];
            int works = random.nextInt(4); // some tailors have no sample works at all
            db.write(ctx -> {
                ctx.execute("insert into users (id, email, display_name, country_code) values (?, ?, ?, 'DE')",
                        user, "u" + user + "@example.org", "User " + user);
                ctx.execute("insert into tailor (id, user_id, city) values (?, ?, ?)", user, user, city);
                for (int w = 0; w < works; w++) {
                    ctx.execute("insert into sample_work (tailor_id, title) values (?, ?)", user, "work " + w);
                }
                return null;
            });
        }
    }

    @AfterAll
    static void stop() {
        db.close();
        cluster.close();
    }

    @Test
    void theGraphFetchReturnsWhatTheNaiveQueriesReturnInOneStatement() {
        TailorDirectory directory = new TailorDirectory(db);
        for (String city : List.of("Berlin", "Lyon", "Utrecht", "Nowhere")) {
            Reported<List<TailorGraph.Node>> graph = directory.tailorsIn(city, 20);
            Reported<List<TailorDirectory.Naive>> naive = directory.tailorsInNaively(city, 20);

            assertThat(graph.value()).hasSameSizeAs(naive.value());
            for (int i = 0; i < graph.value().size(); i++) {
                TailorGraph.Node node = graph.value().get(i);
                TailorDirectory.Naive expected = naive.value().get(i);
                assertThat(node.tailor()).isEqualTo(expected.tailor());
                assertThat(node.user()).isNotNull();
                assertThat(node.user().user()).isEqualTo(expected.user());
                assertThat(node.sampleWorks()).extracting(w -> w.sampleWork()).isEqualTo(expected.sampleWorks());
            }
            assertThat(graph.report().statementCount()).isEqualTo(1);
            assertThat(naive.report().statementCount()).isEqualTo(3);
        }
    }
}
