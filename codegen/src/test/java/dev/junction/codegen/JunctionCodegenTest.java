package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 6: option validation of the pipeline and its command line, without a database. */
class JunctionCodegenTest {
    private static final Path MIGRATIONS = Path.of("src/test/resources/migrations");

    @Test
    void buildNamesEveryMissingOptionAndHowToSetIt() {
        assertThatThrownBy(() -> JunctionCodegen.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("junction codegen: migrations is required; call migrations(Path) or pass --migrations DIR;"
                        + " packageName is required; call packageName(\"com.example.db\") or pass --package P;"
                        + " targetDirectory is required; call targetDirectory(Path) or pass --target DIR, e.g."
                        + " target/generated-sources/jooq");
    }

    @Test
    void aMissingMigrationsDirectoryIsNamed() {
        Path missing = Path.of("target/no-such-migrations");
        assertThatThrownBy(() -> JunctionCodegen.builder().migrations(missing).packageName("a.b")
                .targetDirectory(Path.of("target/x")).build())
                .hasMessage("junction codegen: migrations must be a directory of Flyway SQL migrations such as"
                        + " V1__init.sql, but '" + missing.toAbsolutePath() + "' does not exist; point it at the"
                        + " directory that holds the migrations");
    }

    @Test
    void aDirectoryWithoutMigrationsIsRefused() {
        Path empty = Path.of("src/test/java");
        assertThatThrownBy(() -> JunctionCodegen.builder().migrations(empty).packageName("a.b")
                .targetDirectory(Path.of("target/x")).build())
                .hasMessageContaining("migrations must contain at least one Flyway SQL migration named like"
                        + " V1__init.sql");
    }

    @Test
    void fieldsAreCheckedAtOnce() {
        assertThatThrownBy(() -> JunctionCodegen.builder().packageName("com.example.class"))
                .hasMessage("packageName must be a Java package name such as com.example.db (dot-separated"
                        + " identifiers, no keywords), but was 'com.example.class'");
        assertThatThrownBy(() -> JunctionCodegen.builder().includes("("))
                .hasMessageStartingWith("includes must be a Java regular expression, but '(' is not:");
        assertThatThrownBy(() -> JunctionCodegen.builder().schemas())
                .hasMessage("schemas must name at least one schema, such as public, but was empty");
        assertThatThrownBy(() -> JunctionCodegen.builder().schemas("public", "x; drop"))
                .hasMessage("schemas must be plain SQL identifiers such as public, but contained 'x; drop'");
    }

    @Test
    void buildCopiesOptionsAndFromStartsFromThem() {
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(MIGRATIONS).packageName("com.example.db")
                .targetDirectory(Path.of("target/gen")).schemas("public", "shop").excludes("audit_.*").build();
        JunctionCodegen copy = JunctionCodegen.Builder.from(codegen).force(true).build();

        assertThat(copy.schemas()).containsExactly("public", "shop");
        assertThat(copy.excludes()).isEqualTo("audit_.*");
        assertThat(copy.includes()).isEqualTo(".*");
        assertThat(copy.force()).isTrue();
        assertThat(codegen.force()).isFalse();
        assertThat(copy.targetDirectory()).isAbsolute();
    }

    @Test
    void mainParsesArgumentsAndRejectsUnknownOnes() {
        JunctionCodegen codegen = Main.parse(new String[] {"--migrations", MIGRATIONS.toString(), "--package",
                "com.example.db", "--target", "target/gen", "--schema", "public", "--schema", "shop,billing",
                "--exclude", "tmp_.*", "--pojos", "--force"}).build();
        assertThat(codegen.schemas()).containsExactly("public", "shop", "billing");
        assertThat(codegen.excludes()).isEqualTo("tmp_.*");
        assertThat(codegen.pojos()).isTrue();
        assertThat(codegen.force()).isTrue();

        assertThatThrownBy(() -> Main.parse(new String[] {"--migration", "x"}))
                .hasMessage("unknown argument '--migration'; " + Main.USAGE);
        assertThatThrownBy(() -> Main.parse(new String[] {"--package"}))
                .hasMessage("--package needs a value; " + Main.USAGE);
    }
}
