package dev.junction.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Generator;
import org.jspecify.annotations.Nullable;

/**
 * Command-line entry of {@link JunctionCodegen}, for Maven's {@code exec-maven-plugin} ({@code java} goal) or a plain
 * {@code java -cp ... dev.junction.codegen.Main}:
 *
 * <pre>
 * --migrations LOC   Flyway SQL migrations: a directory or classpath:db/migration; repeat for several (required)
 * --placeholder K=V  a Flyway placeholder, replacing ${K} in the migrations; repeat for several
 * --migrations-as R  superuser (default) or owner: the role the migrations run as
 * --jooq-config FILE a jOOQ codegen XML file whose &lt;generator&gt; is passed through (forcedTypes, strategy, ...)
 * --package P        Java package of the generated code (required)
 * --target DIR       source root to write to (required)
 * --schema S         schema to generate; repeat or comma-separate (default public)
 * --include REGEX    objects to generate (default .*)
 * --exclude REGEX    objects to leave out (default none)
 * --pojos            also generate POJOs as Java records
 * --force            regenerate even when up to date
 * </pre>
 *
 * Failures are thrown (never {@code System.exit}), so a build tool running it in-process reports them.
 */
public final class Main {
    static final String USAGE = "usage: dev.junction.codegen.Main --migrations DIR|classpath:PATH... --package P"
            + " --target DIR [--schema S[,S...]]... [--include REGEX] [--exclude REGEX] [--placeholder K=V]..."
            + " [--migrations-as superuser|owner] [--jooq-config FILE] [--pojos] [--force]";

    private Main() {
    }

    /**
     * Runs the pipeline with {@code args}.
     *
     * @throws IllegalArgumentException for unknown or incomplete arguments (the message includes the usage)
     * @throws CodegenException when generation fails
     */
    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        JunctionCodegen.Result result = parse(args).build().run();
        // Printed rather than logged: inside a build tool's class loader there may be no SLF4J provider.
        System.out.println("junction codegen: " + (result.outcome() == JunctionCodegen.Outcome.UP_TO_DATE
                ? "up to date" : "generated") + ", " + result.sourceFiles() + " source files, "
                + result.duration().toMillis() + " ms");
    }

    /** The builder that {@code args} describe; package-private for tests. */
    static JunctionCodegen.Builder parse(String[] args) {
        JunctionCodegen.Builder builder = JunctionCodegen.builder();
        List<String> schemas = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--pojos" -> builder.pojos(true);
                case "--force" -> builder.force(true);
                case "--migrations", "--package", "--target", "--schema", "--include", "--exclude", "--placeholder",
                        "--migrations-as", "--jooq-config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--migrations" -> locations.add(value);
                        case "--placeholder" -> {
                            int eq = value.indexOf('=');
                            if (eq <= 0) {
                                throw new IllegalArgumentException("--placeholder needs NAME=VALUE, but was '"
                                        + value.substring(0, Math.max(0, eq)) + "...'; " + USAGE);
                            }
                            placeholders.put(value.substring(0, eq), value.substring(eq + 1));
                        }
                        case "--migrations-as" -> builder.migrationRole(role(value));
                        case "--jooq-config" -> builder.generator(generator(Path.of(value)));
                        case "--package" -> builder.packageName(value);
                        case "--target" -> builder.targetDirectory(Path.of(value));
                        case "--schema" -> {
                            for (String s : value.split(",")) {
                                if (!s.isBlank()) {
                                    schemas.add(s.trim());
                                }
                            }
                        }
                        case "--include" -> builder.includes(value);
                        default -> builder.excludes(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
            }
        }
        if (!schemas.isEmpty()) {
            builder.schemas(schemas.toArray(String[]::new));
        }
        if (!locations.isEmpty()) {
            builder.locations(locations.toArray(String[]::new));
        }
        builder.placeholders(placeholders);
        return builder;
    }

    private static JunctionCodegen.MigrationRole role(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "superuser" -> JunctionCodegen.MigrationRole.SUPERUSER;
            case "owner" -> JunctionCodegen.MigrationRole.OWNER;
            default -> throw new IllegalArgumentException("--migrations-as must be superuser or owner, but was '"
                    + value + "'; " + USAGE);
        };
    }

    private static @Nullable Generator generator(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return GenerationTool.load(in).getGenerator();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--jooq-config '" + file.toAbsolutePath() + "' is not a readable jOOQ"
                    + " codegen configuration (" + e.getMessage() + "); give a file like <configuration><generator>"
                    + "<database><forcedTypes>...</forcedTypes></database></generator></configuration>", e);
        }
    }
}
