package dev.junction.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generator;
import org.junit.jupiter.api.Test;

/** Issue 6: the pipeline's up-to-date check, its errors, its command line and several schemas. */
class JunctionCodegenIT {
    private static final Path MIGRATIONS = Path.of("src/test/resources/migrations");
    private static final Path WORK = Path.of("target/it-codegen/pipeline");

    @Test
    void aSecondRunWithUnchangedInputsIsSkippedAndAnyChangeRegenerates() throws Exception {
        Path root = fresh("incremental");
        Path migrations = root.resolve("migrations");
        Files.createDirectories(migrations);
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                Files.copy(f, migrations.resolve(f.getFileName()));
            }
        }
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(migrations).packageName("com.example.db")
                .targetDirectory(root.resolve("src")).build();

        JunctionCodegen.Result first = codegen.run();
        assertThat(first.outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        assertThat(root.resolve("src").resolve(JunctionCodegen.STAMP_FILE)).content().contains(first.fingerprint());
        assertThat(first.sourceFiles()).isGreaterThan(20);

        JunctionCodegen.Result second = codegen.run();
        assertThat(second.outcome()).isEqualTo(JunctionCodegen.Outcome.UP_TO_DATE);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.sourceFiles()).isEqualTo(first.sourceFiles());

        JunctionCodegen withoutDocuments = JunctionCodegen.Builder.from(codegen).excludes("document").build();
        JunctionCodegen.Result third = withoutDocuments.run();
        assertThat(third.outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        assertThat(root.resolve("src/com/example/db/graphs/DocumentGraph.java")).doesNotExist();
        assertThat(root.resolve("src/com/example/db/graphs/UsersGraph.java")).content()
                .doesNotContain("documentsByCreatedBy");

        Files.writeString(migrations.resolve("V3__more.sql"), "create table extra (id int primary key);\n");
        assertThat(withoutDocuments.run().outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        assertThat(root.resolve("src/com/example/db/tables/Extra.java")).exists();
    }

    @Test
    void aFailingMigrationIsReportedWithFlywaysMessageAndLeavesNoFingerprint() throws Exception {
        Path root = fresh("failing");
        Path migrations = Files.createDirectories(root.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__broken.sql"), "create table broken (id int primary key,);\n");
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(migrations).packageName("com.example.bad")
                .targetDirectory(root.resolve("src")).build();

        assertThatThrownBy(codegen::run)
                .isInstanceOf(CodegenException.class)
                .hasMessageStartingWith("junction codegen: Flyway could not apply the migrations in '"
                        + migrations.toAbsolutePath())
                .hasMessageContaining("V1__broken.sql")
                .hasMessageEndingWith("fix the migration named above and run again")
                .hasCauseInstanceOf(org.flywaydb.core.api.FlywayException.class);
        assertThat(root.resolve("src").resolve(JunctionCodegen.STAMP_FILE)).doesNotExist();
    }

    @Test
    void mainGeneratesSeveralSchemasWithRelationsAcrossThem() throws Exception {
        Path root = fresh("schemas");
        Path migrations = Files.createDirectories(root.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__shop.sql"), """
                create schema shop;
                create table shop.customer (id bigint primary key, name text not null);
                create table purchase (
                    id          bigint primary key,
                    customer_id bigint not null references shop.customer (id),
                    total       numeric(10, 2)
                );
                """);

        Main.main(new String[] {"--migrations", migrations.toString(), "--package", "com.example.multi",
                "--target", root.resolve("src").toString(), "--schema", "public,shop"});

        Path purchase = root.resolve("src/com/example/multi/public_/graphs/PurchaseGraph.java");
        Path customer = root.resolve("src/com/example/multi/shop/graphs/CustomerGraph.java");
        assertThat(purchase).content().contains("public Query withCustomer()");
        assertThat(customer).content().contains("public Query withPurchases()");
        GeneratedSources.Compilation compilation = GeneratedSources.compile(root.resolve("classes"),
                root.resolve("src"));
        assertThat(compilation.diagnostics()).isEmpty();
    }

    @Test
    void aMigrationThatNeedsTheSuperuserAppliesByDefaultAndAsTheOwnerFailsNamingTheRoleAndTheOption()
            throws Exception {
        Path root = fresh("superuser");
        Path migrations = Files.createDirectories(root.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__tables.sql"), "create table account (id bigint primary key);\n");
        // A data migration as deployments write them: triggers and foreign keys off while rows are copied.
        Files.writeString(migrations.resolve("V2__data.sql"), """
                set local session_replication_role = replica;
                insert into account values (1), (2);
                """);
        JunctionCodegen asSuperuser = JunctionCodegen.builder().migrations(migrations).packageName("com.example.su")
                .targetDirectory(root.resolve("src")).build();

        assertThat(asSuperuser.run().outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
        assertThat(root.resolve("src/com/example/su/tables/Account.java")).exists();

        JunctionCodegen asOwner = JunctionCodegen.Builder.from(asSuperuser)
                .migrationRole(JunctionCodegen.MigrationRole.OWNER).targetDirectory(root.resolve("owner")).build();
        assertThatThrownBy(asOwner::run)
                .isInstanceOf(CodegenException.class)
                .hasMessageContaining("V2__data.sql")
                .hasMessageContaining("permission denied to set parameter")
                .hasMessageContaining("the migration ran as role 'junction' (the database owner, migrationRole OWNER),"
                        + " which lacks that privilege: run the migrations as the superuser (migrationRole(SUPERUSER),"
                        + " the default; --migrations-as superuser; <migrationRole>SUPERUSER</migrationRole> in the"
                        + " Maven plugin)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("-X"));
    }

    @Test
    void placeholdersClasspathLocationsAndAForcedTypeReachTheGeneratedCode() throws Exception {
        Path root = fresh("passthrough");
        Path resources = Files.createDirectories(root.resolve("resources/db/app"));
        Files.writeString(resources.resolve("V1__init.sql"), """
                create table ${table} (id bigint primary key, body jsonb not null);
                create table ${table}_tag (id bigint primary key, ${table}_id bigint not null references ${table} (id));
                """);
        Generator generator = new Generator().withDatabase(new Database().withForcedTypes(new ForcedType()
                .withUserType("com.example.Body").withConverter("com.example.BodyConverter")
                .withIncludeTypes("jsonb")));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.resolve("resources").toUri().toURL()},
                getClass().getClassLoader())) {
            JunctionCodegen codegen = JunctionCodegen.builder().locations("classpath:db/app").classLoader(loader)
                    .placeholders(Map.of("table", "note")).generator(generator).packageName("com.example.pt")
                    .targetDirectory(root.resolve("src")).build();

            assertThat(codegen.run().outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
            assertThat(root.resolve("src/com/example/pt/tables/Note.java")).content()
                    .contains("com.example.Body").contains("new BodyConverter()");
            assertThat(root.resolve("src/com/example/pt/graphs/NoteGraph.java")).exists();
            assertThat(codegen.run().outcome()).isEqualTo(JunctionCodegen.Outcome.UP_TO_DATE);

            JunctionCodegen otherTable = JunctionCodegen.Builder.from(codegen)
                    .placeholders(Map.of("table", "memo")).build();
            assertThat(otherTable.run().outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);
            assertThat(root.resolve("src/com/example/pt/tables/Memo.java")).exists();
        }
    }

    @Test
    void sourcesForEveryColumnTypeCompileWithoutWarningsUnderXlintAll() throws Exception {
        Path root = fresh("column-types");
        Path migrations = Files.createDirectories(root.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__types.sql"), """
                create type mood as enum ('calm', 'busy');
                create domain positive_int as integer check (value > 0);
                create table shelf (id bigint primary key, name text not null);
                create table item (
                    id        bigint primary key,
                    shelf_id  bigint not null references shelf (id),
                    search    tsvector,
                    tags      text[],
                    scores    integer[],
                    state     mood,
                    amount    positive_int,
                    doc       jsonb,
                    raw       json,
                    blob      bytea,
                    at_local  timestamp,
                    at_zoned  timestamptz,
                    day       date,
                    price     numeric(12, 2),
                    spent     money,
                    waited    interval,
                    host      inet,
                    mac       macaddr,
                    spot      point,
                    body      xml,
                    uid       uuid,
                    flags     bit varying(8),
                    span      int4range
                );
                -- An index on a column of a type jOOQ does not know makes generated code use that column's field.
                create index item_search on item using gin (search);
                create index item_host on item (host);
                """);
        JunctionCodegen codegen = JunctionCodegen.builder().migrations(migrations).packageName("com.example.types")
                .targetDirectory(root.resolve("src")).build();
        assertThat(codegen.run().outcome()).isEqualTo(JunctionCodegen.Outcome.GENERATED);

        GeneratedSources.Compilation compilation = GeneratedSources.compile(root.resolve("classes"),
                root.resolve("src"));
        assertThat(compilation.diagnostics()).isEmpty();
    }

    private static Path fresh(String name) throws Exception {
        Path dir = WORK.resolve(name);
        GeneratedSources.delete(dir);
        return Files.createDirectories(dir);
    }
}
