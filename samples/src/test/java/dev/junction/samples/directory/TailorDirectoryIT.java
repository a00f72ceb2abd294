package dev.junction.samples.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.LintViolationException;
import dev.junction.Lints;
import dev.junction.Reported;
import dev.junction.samples.db.graphs.TailorGraph;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The generated graph fetch returns what the naive list-then-relations code returns, in one statement (issue 6). */
class TailorDirectoryIT {
    private static EmbeddedPostgresCluster cluster;
    private static Database db;
    private static Database strict;

    @BeforeAll
    static void start() {
        cluster = EmbeddedPostgresCluster.builder().replicas(0).start();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(cluster.primary().jdbcUrl());
        ds.setUser(cluster.user());
        ds.setPassword(cluster.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        db = Junction.builder().dataSource(ds).build();
        strict = Junction.builder().dataSource(ds).lints(Lints.strict()).build();
    }

    /** Fresh random tailors, users and sample works for {@code seed}. */
    private static void populate(long seed) {
        db.write(ctx -> ctx.execute("truncate sample_work, tailor, users restart identity cascade"));
        Random random = new Random(seed);
        String[] cities = {"Berlin", "Lyon", "Utrecht"};
        int count = 20 + random.nextInt(60);
        db.write(ctx -> {
            for (int u = 1; u <= count; u++) {
                long user = u;
                String city = cities[random.nextInt(cities.length)];
                int works = random.nextInt(4); // some tailors have no sample works at all
                ctx.execute("insert into users (id, email, display_name, country_code) values (?, ?, ?, 'DE')",
                        user, "u" + user + "@example.org", "User " + user);
                ctx.execute("insert into tailor (id, user_id, city) values (?, ?, ?)", user, user, city);
                for (int w = 0; w < works; w++) {
                    ctx.execute("insert into sample_work (tailor_id, title) values (?, ?)", user,
                            "work " + random.nextInt(1000));
                }
            }
            return null;
        });
    }

    @AfterAll
    static void stop() {
        strict.close();
        db.close();
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 11, 2024})
    void theGraphFetchReturnsWhatTheNaiveQueriesReturnInOneStatement(long seed) {
        populate(seed);
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
            Reported<List<TailorDirectory.Naive>> oneByOne = directory.tailorsInOneByOne(city, 20);
            assertThat(oneByOne.value()).isEqualTo(naive.value());
        }
    }

    @Test
    void theNPlusOneLintFiresForAQueryPerRowAndNotForTheGraphFetch() {
        populate(5);
        TailorDirectory directory = new TailorDirectory(strict);
        assertThat(directory.tailorsIn("Berlin", 20).report().lints()).isEmpty();
        assertThat(directory.tailorsInNaively("Berlin", 20).report().lints()).isEmpty();
        assertThatThrownBy(() -> directory.tailorsInOneByOne("Berlin", 20))
                .isInstanceOf(LintViolationException.class)
                .hasMessageContaining("lint n-plus-one")
                .hasMessageContaining("users")
                .hasMessageContaining("graph fetcher");
    }
}
