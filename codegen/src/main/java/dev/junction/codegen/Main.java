package dev.junction.codegen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line entry of {@link JunctionCodegen}, for Maven's {@code exec-maven-plugin} ({@code java} goal) or a plain
 * {@code java -cp ... dev.junction.codegen.Main}:
 *
 * <pre>
 * --migrations DIR   Flyway SQL migrations (required)
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
    static final String USAGE = "usage: dev.junction.codegen.Main --migrations DIR --package P --target DIR"
            + " [--schema S[,S...]]... [--include REGEX] [--exclude REGEX] [--pojos] [--force]";

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
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--pojos" -> builder.pojos(true);
                case "--force" -> builder.force(true);
                case "--migrations", "--package", "--target", "--schema", "--include", "--exclude" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--migrations" -> builder.migrations(Path.of(value));
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
        return builder;
    }
}
