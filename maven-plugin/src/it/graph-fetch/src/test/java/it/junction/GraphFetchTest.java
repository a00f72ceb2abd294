package it.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.EmbeddedPostgresCluster;
import it.junction.db.graphs.AuthorGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The consumer's view of the plugin: the generated fetchers compile against the graph runtime, the forced type and
 * the placeholder reached the generated code and the schema, and a second build with unchanged inputs leaves the
 * generated sources untouched.
 */
class GraphFetchTest {
    // jOOQ rewrites only the files whose content changed, so a source file's time cannot tell a skip from a rerun;
    // the fingerprint file is written anew by every generation.
    private static final Path GENERATED = Path.of("target/generated-sources/junction/.junction-codegen.sha256");
    private static final Path FIRST_RUN = Path.of("target/first-run-mtime.txt");

    @Test
    void aGraphFetchReturnsAuthorsWithTheirDocumentsAsTheForcedType() throws Exception {
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(0).start()) {
            String url = cluster.primary().jdbcUrl();
            Flyway.configure().dataSource(url, cluster.user(), cluster.password())
                    .locations("classpath:db/migration").placeholders(Map.of("default_status", "active"))
                    .load().migrate();
            try (Connection c = DriverManager.getConnection(url, cluster.user(), cluster.password())) {
                DSLContext ctx = DSL.using(c, SQLDialect.POSTGRES);
                ctx.execute("insert into author (id, name) values (1, 'Ada'), (2, 'Grace')");
                ctx.execute("insert into document values (10, 1, 'Notes', '{\"pages\": 3}'), (11, 1, 'Letters',"
                        + " '{\"pages\": 1}'), (12, 2, 'Manual', '{\"pages\": 9}')");

                List<AuthorGraph.Node> authors = Authors.withDocuments(ctx);

                assertThat(authors).extracting(a -> a.author().getName()).containsExactly("Ada", "Grace");
                assertThat(authors.get(0).author().getStatus()).as("the placeholder's default").isEqualTo("active");
                assertThat(authors.get(0).documents()).extracting(d -> d.document().getTitle())
                        .containsExactly("Notes", "Letters");
                Body body = authors.get(1).documents().get(0).document().getBody();
                assertThat(body).isEqualTo(new Body("{\"pages\": 9}"));
            }
        }
    }

    @Test
    void aSecondBuildWithUnchangedInputsDoesNotRegenerate() throws Exception {
        FileTime generated = Files.getLastModifiedTime(GENERATED);
        if ("1".equals(System.getProperty("it.run"))) {
            Files.writeString(FIRST_RUN, Long.toString(generated.toMillis()));
        } else {
            assertThat(System.getProperty("it.run")).isEqualTo("2");
            assertThat(generated.toMillis()).as("modification time of %s in the second build", GENERATED)
                    .isEqualTo(Long.parseLong(Files.readString(FIRST_RUN).strip()));
        }
    }
}
