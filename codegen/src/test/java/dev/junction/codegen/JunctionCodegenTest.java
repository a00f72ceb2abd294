package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Target;
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

    @Test
    void locationsAreNormalizedAndAMissingClasspathLocationIsNamed() {
        JunctionCodegen codegen = JunctionCodegen.builder().locations(MIGRATIONS.toString(), "classpath:/migrations")
                .packageName("a.b").targetDirectory(Path.of("target/x")).build();
        assertThat(codegen.locations()).containsExactly("filesystem:" + MIGRATIONS.toAbsolutePath().normalize(),
                "classpath:migrations");

        assertThatThrownBy(() -> JunctionCodegen.builder().locations("classpath:db/nowhere").packageName("a.b")
                .targetDirectory(Path.of("target/x")).build())
                .hasMessage("junction codegen: migration location 'classpath:db/nowhere' is not on the class path;"
                        + " check the path, or that the resource directory or dependency holding it is on the"
                        + " build's class path");
        assertThatThrownBy(() -> JunctionCodegen.builder().locations("classpath:"))
                .hasMessage("migrations must be directories or classpath: locations, but contained 'classpath:'");
        assertThatThrownBy(() -> JunctionCodegen.builder().locations())
                .hasMessageStartingWith("migrations must name at least one location");
    }

    @Test
    void placeholderValuesStayOutOfToStringAndBadNamesAreRefused() {
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(MIGRATIONS).packageName("a.b")
                .targetDirectory(Path.of("target/x")).placeholders(Map.of("app_password", "s3cret")).build();
        assertThat(codegen.placeholders()).containsEntry("app_password", "s3cret");
        assertThat(codegen.toString()).contains("placeholders=[app_password]").doesNotContain("s3cret");

        assertThatThrownBy(() -> JunctionCodegen.builder().placeholders(Map.of("bad name", "x")))
                .hasMessage("placeholders must have names of letters, digits, '_', '.' or '-' (as in ${name}), but"
                        + " contained 'bad name'");
    }

    @Test
    void aGeneratorThatSetsWhatJunctionSetsIsRefusedWithTheOptionToUse() {
        Generator theirs = new Generator().withName("com.example.MyGenerator")
                .withTarget(new Target().withPackageName("x"))
                .withDatabase(new Database().withName("org.jooq.meta.mysql.MySQLDatabase").withIncludes("a.*"));
        assertThatThrownBy(() -> JunctionCodegen.builder().generator(theirs))
                .hasMessage("junction codegen: generator.name is 'com.example.MyGenerator', but Junction runs its own"
                        + " Java generator (which adds the graph fetchers); remove <name>; generator.target is set,"
                        + " but Junction sets the target; use packageName and targetDirectory instead;"
                        + " generator.database.name is 'org.jooq.meta.mysql.MySQLDatabase', but Junction generates"
                        + " from PostgreSQL (org.jooq.meta.postgres.PostgresDatabase); remove <name>;"
                        + " generator.database includes/excludes are set, but Junction sets them; use includes and"
                        + " excludes instead");

        Generator forcedTypes = new Generator().withDatabase(new Database().withForcedTypes(
                new ForcedType().withUserType("com.example.Json").withIncludeTypes("jsonb")));
        assertThat(JunctionCodegen.builder().generator(forcedTypes).migrations(MIGRATIONS).packageName("a.b")
                .targetDirectory(Path.of("target/x")).build().generator()).isSameAs(forcedTypes);
    }

    @Test
    void mainParsesPlaceholdersTheMigrationRoleAndSeveralLocations() {
        JunctionCodegen codegen = Main.parse(new String[] {"--migrations", MIGRATIONS.toString(), "--migrations",
                "classpath:migrations", "--package", "a.b", "--target", "target/gen", "--placeholder", "schema=app",
                "--placeholder", "owner=x=y", "--migrations-as", "owner"}).build();
        assertThat(codegen.locations()).hasSize(2);
        assertThat(codegen.placeholders()).containsExactly(Map.entry("schema", "app"), Map.entry("owner", "x=y"));
        assertThat(codegen.migrationRole()).isEqualTo(JunctionCodegen.MigrationRole.OWNER);
        assertThat(JunctionCodegen.builder().migrations(MIGRATIONS).packageName("a.b")
                .targetDirectory(Path.of("target/x")).build().migrationRole())
                .isEqualTo(JunctionCodegen.MigrationRole.SUPERUSER);

        assertThatThrownBy(() -> Main.parse(new String[] {"--migrations-as", "root"}))
                .hasMessage("--migrations-as must be superuser or owner, but was 'root'; " + Main.USAGE);
        assertThatThrownBy(() -> Main.parse(new String[] {"--placeholder", "novalue"}))
                .hasMessageStartingWith("--placeholder needs NAME=VALUE");
    }
}
