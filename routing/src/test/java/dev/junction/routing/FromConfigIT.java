package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.LintViolationException;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Junction.fromConfig(path)} finds the routing module and starts a routed Database from a YAML file. */
@WithEmbeddedCluster(replicas = 1)
class FromConfigIT {

    @Test
    void aYamlFileGivesARoutedDatabase(EmbeddedPostgresCluster cluster, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, """
                credentials:
                  user: %s
                  password: %s
                nodes:
                  - name: main
                    url: %s
                    role: primary
                  - name: standby
                    url: %s
                    role: replica
                """.formatted(cluster.user(), cluster.password(), cluster.primary().jdbcUrl(),
                cluster.replicas().get(0).jdbcUrl()));

        try (Database db = Junction.fromConfig(file)) {
            Boolean readInRecovery = db.read(ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class));
            assertThat(readInRecovery).isTrue();
            assertThat(db.write(ctx -> ctx.fetchSingle("select pg_is_in_recovery()").get(0, Boolean.class)).value())
                    .isFalse();
        }
    }

    /** Issue 19: the file's {@code database:} section configures the Database that fromConfig builds. */
    @Test
    void theDatabaseSectionReachesTheDatabase(EmbeddedPostgresCluster cluster, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, """
                credentials:
                  user: %s
                  password: %s
                nodes:
                  - name: main
                    url: %s
                    role: primary
                database:
                  lints:
                    writeWithoutWrites: strict
                """.formatted(cluster.user(), cluster.password(), cluster.primary().jdbcUrl()));

        try (Database db = Junction.fromConfig(file)) {
            // with the defaults (WARN), as in aYamlFileGivesARoutedDatabase, the same write succeeds
            assertThatThrownBy(() -> db.write(ctx -> ctx.fetchSingle("select 1").get(0, Integer.class)))
                    .isInstanceOfSatisfying(LintViolationException.class,
                            e -> assertThat(e.lint()).isEqualTo("write-without-writes"));
        }
    }

    @Test
    void aBadFileIsRefusedNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, "credentials:\n  user: app\n  password: pw\nnodes:\n  - name: main\n"
                + "    url: jdbc:mysql://db/app\n    role: primary\n");

        assertThatThrownBy(() -> Junction.fromConfig(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + ":6: nodes[0].url");
    }
}
