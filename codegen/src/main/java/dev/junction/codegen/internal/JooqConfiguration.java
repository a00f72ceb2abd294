package dev.junction.codegen.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jooq.Constants;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.OnError;
import org.jooq.meta.jaxb.SchemaMappingType;
import org.jooq.meta.jaxb.Target;
import org.jspecify.annotations.Nullable;

/**
 * Builds the jOOQ code generator's configuration of one run from a user's {@code <generator>} (forced types, naming
 * strategy, generate flags, synthetic objects: passed through) and the parts Junction owns: the generator class,
 * the database dialect, schemas, includes and excludes, the target and the JDBC connection. A user's value for a part
 * Junction owns is refused rather than silently replaced, so the build says where to set it instead.
 */
public final class JooqConfiguration {
    private static final String HISTORY_TABLE = "flyway_schema_history";
    private static final String DIALECT = "org.jooq.meta.postgres.PostgresDatabase";
    private static final Set<String> GENERATOR_NAMES = Set.of("org.jooq.codegen.DefaultGenerator",
            "org.jooq.codegen.JavaGenerator", JunctionJavaGenerator.class.getName());

    private JooqConfiguration() {
    }

    /**
     * What is wrong with a user's {@code <generator>}: one message per part that Junction sets itself, naming the
     * option to use instead. Empty when {@code base} is null or only sets parts that pass through.
     */
    public static List<String> problems(@Nullable Generator base) {
        List<String> problems = new ArrayList<>();
        if (base == null) {
            return problems;
        }
        if (base.getName() != null && !GENERATOR_NAMES.contains(base.getName())) {
            problems.add("generator.name is '" + base.getName() + "', but Junction runs its own Java generator (which"
                    + " adds the graph fetchers); remove <name>");
        }
        if (base.getTarget() != null) {
            problems.add("generator.target is set, but Junction sets the target; use packageName and"
                    + " targetDirectory instead");
        }
        Database database = base.getDatabase();
        if (database != null) {
            if (database.getName() != null && !database.getName().equals(DIALECT)) {
                problems.add("generator.database.name is '" + database.getName() + "', but Junction generates from"
                        + " PostgreSQL (" + DIALECT + "); remove <name>");
            }
            if (!database.getSchemata().isEmpty() || !isBlank(database.getInputSchema())) {
                problems.add("generator.database schemata/inputSchema are set, but Junction sets the schemas; use"
                        + " schemas instead");
            }
            if (!isBlank(database.getIncludes()) && !".*".equals(database.getIncludes())
                    || !isBlank(database.getExcludes())) {
                problems.add("generator.database includes/excludes are set, but Junction sets them; use includes and"
                        + " excludes instead");
            }
        }
        return problems;
    }

    /**
     * The configuration of one run.
     *
     * @param base the user's generator, or null for Junction's defaults; not modified
     */
    public static Configuration of(@Nullable Generator base, String url, String user, String password,
            List<String> schemas, String includes, String excludes, boolean pojos, String packageName,
            String targetDirectory) {
        Generator generator = base == null ? new Generator() : copy(base);
        Database database = generator.getDatabase() == null ? new Database() : generator.getDatabase();
        String exclude = excludes.isEmpty() ? HISTORY_TABLE : "(" + excludes + ")|" + HISTORY_TABLE;
        database.withName(DIALECT)
                .withSchemata(schemas.stream().map(s -> new SchemaMappingType().withInputSchema(s)).toList())
                .withIncludes(includes)
                .withExcludes(exclude);
        Generate generate = generator.getGenerate() == null ? new Generate().withJavaTimeTypes(true)
                : generator.getGenerate();
        // The graph fetchers are written against records and key references: those flags cannot be turned off.
        // A column of a type jOOQ does not know (tsvector, inet, money, ...) becomes an Object field; jOOQ would also
        // mark it @Deprecated, and its own Indexes/Keys classes then compile with deprecation warnings that the user
        // cannot fix in generated code. Map such a column with a forced type to give it a Java type.
        generate.withRecords(true).withKeys(true).withGlobalKeyReferences(true).withDeprecationOnUnknownTypes(false);
        if (pojos) {
            generate.withPojos(true).withPojosAsJavaRecordClasses(true);
        }
        generator.withName(JunctionJavaGenerator.class.getName())
                .withDatabase(database)
                .withGenerate(generate)
                .withTarget(new Target().withPackageName(packageName).withDirectory(targetDirectory).withClean(true));
        return new Configuration()
                .withLogging(Logging.WARN)
                .withOnError(OnError.FAIL)
                .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url).withUser(user)
                        .withPassword(password))
                .withGenerator(generator);
    }

    /** A stable rendering of the user's generator for the fingerprint (jOOQ's JAXB types print as XML). */
    public static String fingerprintKey(@Nullable Generator base) {
        return base == null ? "" : base.toString();
    }

    private static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static Generator copy(Generator base) {
        // The JAXB types are mutable: copy through their XML form so a caller's object is never changed by a run.
        String xml = "<configuration xmlns=\"" + Constants.NS_CODEGEN + "\"><generator>" + base
                + "</generator></configuration>";
        try {
            return GenerationTool.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getGenerator();
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the generator configuration: " + e.getMessage(), e);
        }
    }
}
