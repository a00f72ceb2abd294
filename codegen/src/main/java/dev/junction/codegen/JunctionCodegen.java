package dev.junction.codegen;

import dev.junction.codegen.internal.Fingerprint;
import dev.junction.codegen.internal.JooqConfiguration;
import dev.junction.codegen.internal.MigrationLocations;
import dev.junction.codegen.internal.Migrations;
import dev.junction.codegen.internal.OutputStamp;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.lang.model.SourceVersion;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Generator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generation pipeline: start an embedded PostgreSQL 17 (from the testkit, no Docker), apply the Flyway SQL
 * migrations (as the server's superuser by default, as deployments usually do; see {@link MigrationRole}), run jOOQ's
 * code generator against the real schema, add Junction's graph fetchers, stop the database.
 * When nothing that decides the output changed since the last run (migrations, options, generator versions), the run
 * is skipped: a fingerprint is kept in {@value #STAMP_FILE} in the target directory.
 *
 * <pre>{@code
 * JunctionCodegen.builder()
 *         .migrations(Path.of("src/main/resources/db/migration"))
 *         .packageName("com.example.db")
 *         .targetDirectory(Path.of("target/generated-sources/jooq"))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Immutable and thread-safe; concurrent runs into the same target directory are not supported.
 */
public final class JunctionCodegen {
    /** The file in the target directory that holds the fingerprint of the last successful run. */
    public static final String STAMP_FILE = ".junction-codegen.sha256";
    private static final Logger log = LoggerFactory.getLogger(JunctionCodegen.class);
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final List<String> locations;
    private final ClassLoader classLoader;
    private final Map<String, String> placeholders;
    private final @Nullable Generator generator;
    private final MigrationRole migrationRole;
    private final List<String> schemas;
    private final String packageName;
    private final Path targetDirectory;
    private final String includes;
    private final String excludes;
    private final boolean pojos;
    private final boolean force;

    private JunctionCodegen(Builder b) {
        this.locations = List.copyOf(b.locations);
        this.classLoader = b.classLoader;
        this.placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(b.placeholders));
        this.generator = b.generator;
        this.migrationRole = b.migrationRole;
        this.schemas = List.copyOf(b.schemas);
        this.packageName = b.packageName == null ? "" : b.packageName;
        this.targetDirectory = b.targetDirectory == null ? Path.of("") : b.targetDirectory.toAbsolutePath()
                .normalize();
        this.includes = b.includes;
        this.excludes = b.excludes;
        this.pojos = b.pojos;
        this.force = b.force;
    }

    /** A builder; {@code migrations}, {@code packageName} and {@code targetDirectory} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The role the migrations (and jOOQ's reading of the schema) run as on the embedded server that codegen owns.
     */
    public enum MigrationRole {
        /**
         * The server's superuser (default): what {@code psql -U postgres} and most deployment pipelines use, so a
         * migration that sets a superuser-only parameter (e.g. {@code SET LOCAL session_replication_role}) or creates
         * an extension applies as it does in production.
         */
        SUPERUSER,
        /**
         * The owner of the application database, a plain role: for teams whose deployments run migrations as the
         * application's owner, so that codegen refuses what production would refuse.
         */
        OWNER
    }

    /** What a run did. */
    public enum Outcome {
        /** The sources were (re)generated. */
        GENERATED,
        /** The fingerprint matched the last run; nothing was started or written. */
        UP_TO_DATE
    }

    /**
     * The result of {@link #run()}.
     *
     * @param outcome generated or skipped
     * @param fingerprint the fingerprint of migrations and options (64 hex digits)
     * @param sourceFiles the number of {@code .java} files under the package directory
     * @param duration how long the run took
     */
    public record Result(Outcome outcome, String fingerprint, int sourceFiles, Duration duration) {
    }

    /**
     * Generates the sources, or does nothing when they are up to date. Always stops the embedded PostgreSQL it
     * started.
     *
     * @throws CodegenException when the database cannot start, a migration fails or jOOQ's generator fails; the
     *     target directory then has no fingerprint, so the next run generates again
     */
    public Result run() {
        long started = System.nanoTime();
        MigrationLocations migrations = new MigrationLocations(locations, classLoader);
        String fingerprint = Fingerprint.of(migrations, optionsKey());
        OutputStamp stamp = new OutputStamp(targetDirectory, STAMP_FILE, packageName);
        if (!force && stamp.upToDate(fingerprint)) {
            Result result = new Result(Outcome.UP_TO_DATE, fingerprint, stamp.sourceFiles(),
                    Duration.ofNanos(System.nanoTime() - started));
            log.info("junction codegen: {} is up to date ({} source files, fingerprint {})", packageName,
                    result.sourceFiles(), fingerprint.substring(0, 12));
            return result;
        }
        stamp.clear();
        loadDriver();
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(0).start()) {
            String url = cluster.primary().jdbcUrl();
            String user = migrationRole == MigrationRole.SUPERUSER ? cluster.superuser() : cluster.user();
            migrate(migrations, url, user, cluster.password());
            generate(url, user, cluster.password());
        }
        stamp.write(fingerprint);
        Result result = new Result(Outcome.GENERATED, fingerprint, stamp.sourceFiles(),
                Duration.ofNanos(System.nanoTime() - started));
        log.info("junction codegen: generated {} source files for {} into {} in {} ms", result.sourceFiles(),
                packageName, targetDirectory, result.duration().toMillis());
        return result;
    }

    private void migrate(MigrationLocations migrations, String url, String user, String password) {
        String role = migrationRole == MigrationRole.SUPERUSER ? "role '" + user + "' (the superuser, migrationRole"
                + " SUPERUSER)" : "role '" + user + "' (the database owner, migrationRole OWNER)";
        String hint = migrationRole == MigrationRole.SUPERUSER
                ? "change the migration, or grant what it needs in an earlier migration"
                : "run the migrations as the superuser (migrationRole(SUPERUSER), the default; --migrations-as"
                        + " superuser; <migrationRole>SUPERUSER</migrationRole> in the Maven plugin), as deployments"
                        + " that apply migrations with psql -U postgres do, or change the migration";
        try {
            Migrations.apply(url, user, password, migrations, placeholders, classLoader, role, hint);
        } catch (Migrations.Failure e) {
            throw new CodegenException(e.getMessage(), e.getCause());
        }
    }

    private void generate(String url, String user, String password) {
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
        try {
            GenerationTool.generate(JooqConfiguration.of(generator, url, user, password, schemas, includes,
                    excludes, pojos, packageName, targetDirectory.toString()));
        } catch (Exception e) {
            throw new CodegenException("junction codegen: jOOQ's generator failed for schemas " + schemas + " ("
                    + e.getMessage() + "); check includes/excludes, the generator configuration and the"
                    + " migrations", e);
        }
    }

    private static void loadDriver() {
        try {
            // Registers the driver with DriverManager when running inside a class loader of a build tool.
            Class.forName("org.postgresql.Driver", true, JunctionCodegen.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CodegenException("junction codegen: the PostgreSQL JDBC driver (org.postgresql:postgresql) is"
                    + " not on the class path; add it to the codegen execution's dependencies", e);
        }
    }

    /** Every option that affects the output, in a stable form (the fingerprint covers it). */
    private String optionsKey() {
        return String.join("\n", "schemas=" + schemas, "package=" + packageName, "includes=" + includes,
                "excludes=" + excludes, "pojos=" + pojos, "target=" + targetDirectory,
                "placeholders=" + new TreeMap<>(placeholders), "role=" + migrationRole,
                "generator=" + JooqConfiguration.fingerprintKey(generator));
    }

    /** The migration locations in Flyway's notation: {@code filesystem:/abs/dir} or {@code classpath:db/migration}. */
    public List<String> locations() {
        return locations;
    }

    /** Flyway placeholders, replacing {@code ${name}} in the migrations. */
    public Map<String, String> placeholders() {
        return placeholders;
    }

    /** The role the migrations run as. */
    public MigrationRole migrationRole() {
        return migrationRole;
    }

    /** The jOOQ generator configuration passed through, or null for Junction's defaults. */
    public @Nullable Generator generator() {
        return generator;
    }

    public List<String> schemas() {
        return schemas;
    }

    public String packageName() {
        return packageName;
    }

    public Path targetDirectory() {
        return targetDirectory;
    }

    public String includes() {
        return includes;
    }

    public String excludes() {
        return excludes;
    }

    public boolean pojos() {
        return pojos;
    }

    public boolean force() {
        return force;
    }

    @Override
    public String toString() {
        // Placeholder values may be secrets (they often carry passwords of roles created by migrations): names only.
        return "JunctionCodegen[locations=" + locations + ", placeholders=" + new TreeMap<>(placeholders).keySet()
                + ", migrationRole=" + migrationRole + ", schemas=" + schemas + ", packageName=" + packageName
                + ", targetDirectory=" + targetDirectory + ", includes=" + includes + ", excludes=" + excludes
                + ", pojos=" + pojos + ", force=" + force + ", generator=" + (generator != null) + "]";
    }

    /**
     * Options of a {@link JunctionCodegen}. Setters check their value at once and name the field; {@link #build()}
     * checks the file system. Not thread-safe.
     */
    public static final class Builder {
        private List<String> locations = new ArrayList<>();
        private ClassLoader classLoader = JunctionCodegen.class.getClassLoader();
        private Map<String, String> placeholders = new LinkedHashMap<>();
        private @Nullable Generator generator;
        private MigrationRole migrationRole = MigrationRole.SUPERUSER;
        private List<String> schemas = List.of("public");
        private @Nullable String packageName;
        private @Nullable Path targetDirectory;
        private String includes = ".*";
        private String excludes = "";
        private boolean pojos;
        private boolean force;

        private Builder() {
        }

        /** A builder with the options of {@code existing}. */
        public static Builder from(JunctionCodegen existing) {
            Builder b = new Builder();
            b.locations = new ArrayList<>(existing.locations);
            b.classLoader = existing.classLoader;
            b.placeholders = new LinkedHashMap<>(existing.placeholders);
            b.generator = existing.generator;
            b.migrationRole = existing.migrationRole;
            b.schemas = existing.schemas;
            b.packageName = existing.packageName;
            b.targetDirectory = existing.targetDirectory;
            b.includes = existing.includes;
            b.excludes = existing.excludes;
            b.pojos = existing.pojos;
            b.force = existing.force;
            return b;
        }

        /**
         * The directory of Flyway SQL migrations ({@code V1__init.sql}, ...), as the only location: a shortcut for
         * {@code locations(directory.toString())}. Required unless {@link #locations} is called.
         */
        public Builder migrations(Path directory) {
            Objects.requireNonNull(directory, "migrations");
            return locations(directory.toString());
        }

        /**
         * The migration locations, replacing earlier ones: directories ({@code src/main/resources/db/migration} or
         * {@code filesystem:...}) and class path locations ({@code classpath:db/migration}, resolved with
         * {@link #classLoader}). Required, at least one.
         *
         * @throws IllegalArgumentException when empty or a location is blank
         */
        public Builder locations(String... locations) {
            if (locations.length == 0) {
                throw new IllegalArgumentException("migrations must name at least one location, such as"
                        + " src/main/resources/db/migration or classpath:db/migration, but was empty");
            }
            List<String> list = new ArrayList<>();
            for (String location : locations) {
                if (location == null || location.isBlank() || location.equals("classpath:")
                        || location.equals("filesystem:")) {
                    throw new IllegalArgumentException("migrations must be directories or classpath: locations, but"
                            + " contained '" + location + "'");
                }
                String normalized = MigrationLocations.normalize(location.strip());
                if (!list.contains(normalized)) {
                    list.add(normalized);
                }
            }
            this.locations = list;
            return this;
        }

        /**
         * The class loader that {@code classpath:} locations are resolved with, e.g. one over the project's resource
         * directories and dependencies (default: the loader of this class).
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /**
         * Flyway placeholders, replacing {@code ${name}} in the migrations; replaces earlier ones. Values are kept out
         * of {@link #toString()} (they may be secrets) but are part of the fingerprint.
         *
         * @throws IllegalArgumentException when a name is not a placeholder name or a value is null
         */
        public Builder placeholders(Map<String, String> placeholders) {
            Map<String, String> copy = new LinkedHashMap<>();
            placeholders.forEach((name, value) -> {
                if (name == null || !PLACEHOLDER.matcher(name).matches()) {
                    throw new IllegalArgumentException("placeholders must have names of letters, digits, '_', '.'"
                            + " or '-' (as in ${name}), but contained '" + name + "'");
                }
                if (value == null) {
                    throw new IllegalArgumentException("placeholder '" + name + "' has no value; give it one or"
                            + " remove it");
                }
                copy.put(name, value);
            });
            this.placeholders = copy;
            return this;
        }

        /**
         * A jOOQ {@code <generator>} configuration to pass through: forced types, naming strategy, generate flags,
         * synthetic keys. Junction sets the generator class, database dialect, schemas, includes/excludes and target
         * itself, and always generates records and keys (the graph fetchers need them). Copied at each run, never
         * modified.
         *
         * @throws IllegalArgumentException when it sets a part that Junction sets, naming the option to use instead
         */
        public Builder generator(@Nullable Generator generator) {
            List<String> problems = JooqConfiguration.problems(generator);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("junction codegen: " + String.join("; ", problems));
            }
            this.generator = generator;
            return this;
        }

        /** The role the migrations run as (default {@link MigrationRole#SUPERUSER}). */
        public Builder migrationRole(MigrationRole role) {
            this.migrationRole = Objects.requireNonNull(role, "migrationRole");
            return this;
        }

        /**
         * The schemas to generate (default {@code public}).
         *
         * @throws IllegalArgumentException when empty or a name is not a plain SQL identifier
         */
        public Builder schemas(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("schemas must name at least one schema, such as public, but was"
                        + " empty");
            }
            List<String> list = new ArrayList<>();
            for (String name : names) {
                if (name == null || !SCHEMA.matcher(name).matches()) {
                    throw new IllegalArgumentException("schemas must be plain SQL identifiers such as public, but"
                            + " contained '" + name + "'");
                }
                if (!list.contains(name)) {
                    list.add(name);
                }
            }
            this.schemas = List.copyOf(list);
            return this;
        }

        /**
         * The Java package of the generated code, e.g. {@code com.example.db}. Required.
         *
         * @throws IllegalArgumentException when not a valid Java package name
         */
        public Builder packageName(@Nullable String name) {
            if (name == null || !SourceVersion.isName(name)) {
                throw new IllegalArgumentException("packageName must be a Java package name such as com.example.db"
                        + " (dot-separated identifiers, no keywords), but was '" + name + "'");
            }
            this.packageName = name;
            return this;
        }

        /** The source root to write to, e.g. {@code target/generated-sources/jooq}. Required. */
        public Builder targetDirectory(Path directory) {
            this.targetDirectory = Objects.requireNonNull(directory, "targetDirectory");
            return this;
        }

        /**
         * A regular expression of the tables (and other objects) to generate (default {@code .*}), as jOOQ's
         * {@code <includes>}.
         *
         * @throws IllegalArgumentException when not a valid regular expression
         */
        public Builder includes(String regex) {
            this.includes = regex("includes", regex);
            return this;
        }

        /**
         * A regular expression of objects to leave out (default none), as jOOQ's {@code <excludes>}. Flyway's
         * {@code flyway_schema_history} is always left out.
         *
         * @throws IllegalArgumentException when not a valid regular expression
         */
        public Builder excludes(String regex) {
            this.excludes = regex("excludes", regex);
            return this;
        }

        /** Also generate POJOs, as Java records (jOOQ's {@code pojosAsJavaRecordClasses}). Default false. */
        public Builder pojos(boolean enabled) {
            this.pojos = enabled;
            return this;
        }

        /** Regenerate even when the fingerprint says the output is up to date. Default false. */
        public Builder force(boolean enabled) {
            this.force = enabled;
            return this;
        }

        /**
         * Checks the required options and the migrations directory, and copies the options.
         *
         * @throws IllegalArgumentException naming the missing or wrong option and how to fix it
         */
        public JunctionCodegen build() {
            List<String> problems = new ArrayList<>();
            if (locations.isEmpty()) {
                problems.add("migrations is required; call migrations(Path) or pass --migrations DIR");
            } else {
                problems.addAll(new MigrationLocations(locations, classLoader).problems());
            }
            if (packageName == null) {
                problems.add("packageName is required; call packageName(\"com.example.db\") or pass --package P");
            }
            if (targetDirectory == null) {
                problems.add("targetDirectory is required; call targetDirectory(Path) or pass --target DIR, e.g."
                        + " target/generated-sources/jooq");
            } else if (Files.exists(targetDirectory) && !Files.isDirectory(targetDirectory)) {
                problems.add("targetDirectory must be a directory, but '" + targetDirectory.toAbsolutePath()
                        + "' is a file; choose another path");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("junction codegen: " + String.join("; ", problems));
            }
            return new JunctionCodegen(this);
        }

        private static String regex(String field, @Nullable String regex) {
            if (regex == null) {
                throw new IllegalArgumentException(field + " must be a Java regular expression, but was null");
            }
            try {
                Pattern.compile(regex);
                return regex;
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(field + " must be a Java regular expression, but '" + regex
                        + "' is not: " + e.getDescription(), e);
            }
        }
    }
}
