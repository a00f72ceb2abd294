package dev.junction.maven;

import dev.junction.codegen.CodegenException;
import dev.junction.codegen.JunctionCodegen;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.jooq.meta.jaxb.Generator;
import org.jspecify.annotations.Nullable;

/**
 * Generates jOOQ classes and Junction's graph fetchers from Flyway migrations: starts an embedded PostgreSQL 17,
 * applies the migrations, runs jOOQ's generator with Junction's additions, stops the server, and adds the target
 * directory to the project's compile source roots. Skipped, without starting a server, when the migrations and
 * options are unchanged since the last run (a fingerprint in the target directory).
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.junction</groupId>
 *   <artifactId>junction-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>generate</goal></goals></execution></executions>
 *   <configuration><packageName>com.example.db</packageName></configuration>
 * </plugin>
 * }</pre>
 *
 * A failed migration fails the build with the migration's file, Flyway's report of the SQL error and what to do.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class GenerateMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private @Nullable MavenProject project;

    /**
     * Migration locations: directories, or {@code classpath:} locations resolved over the project's resource
     * directories and compile dependencies. Default {@code src/main/resources/db/migration}.
     */
    @Parameter
    private @Nullable List<String> migrations;

    /** Flyway placeholders: {@code <placeholders><name>value</name></placeholders>} replaces {@code ${name}}. */
    @Parameter
    private @Nullable Map<String, String> placeholders;

    /** The Java package of the generated code, e.g. {@code com.example.db}. */
    @Parameter(required = true)
    private @Nullable String packageName;

    /** The source root to generate into; added to the compile source roots. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/junction", required = true)
    private @Nullable File targetDirectory;

    /** The schemas to generate. Default {@code public}. */
    @Parameter
    private @Nullable List<String> schemas;

    /** A regular expression of the objects to generate, as jOOQ's {@code <includes>}. */
    @Parameter(defaultValue = ".*")
    private String includes = ".*";

    /** A regular expression of the objects to leave out, as jOOQ's {@code <excludes>}. */
    @Parameter(defaultValue = "")
    private @Nullable String excludes;

    /** Also generate POJOs, as Java records. */
    @Parameter(defaultValue = "false")
    private boolean pojos;

    /** The role the migrations run as on the embedded server: {@code SUPERUSER} (default) or {@code OWNER}. */
    @Parameter(defaultValue = "SUPERUSER")
    private JunctionCodegen.MigrationRole migrationRole = JunctionCodegen.MigrationRole.SUPERUSER;

    /**
     * jOOQ's {@code <generator>} configuration, passed through as in jooq-codegen-maven: {@code <database>} with
     * {@code <forcedTypes>} and synthetic keys, {@code <strategy>}, {@code <generate>} flags. The generator class,
     * dialect, schemas, includes/excludes and target are Junction's (set them with this goal's own parameters).
     */
    @Parameter
    private @Nullable Generator generator;

    /** Regenerate even when the fingerprint says the sources are up to date. */
    @Parameter(property = "junction.codegen.force", defaultValue = "false")
    private boolean force;

    /** Skip the goal; sources generated earlier stay on the compile source roots. */
    @Parameter(property = "junction.codegen.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        MavenProject project = required(this.project, "project");
        File target = required(targetDirectory, "targetDirectory");
        if (skip) {
            getLog().info("junction codegen: skipped (junction.codegen.skip)");
            addSourceRoot(project, target, false);
            return;
        }
        try (URLClassLoader loader = projectClassLoader(project)) {
            JunctionCodegen codegen = codegen(project, target, loader);
            JunctionCodegen.Result result = codegen.run();
            getLog().info("junction codegen: " + (result.outcome() == JunctionCodegen.Outcome.UP_TO_DATE
                    ? "up to date, nothing generated" : "generated") + ", " + result.sourceFiles() + " source files in "
                    + target + " (" + result.duration().toMillis() + " ms)");
        } catch (CodegenException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("junction-maven-plugin configuration: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("junction codegen: " + e.getMessage(), e);
        }
        addSourceRoot(project, target, true);
    }

    private JunctionCodegen codegen(MavenProject project, File target, ClassLoader loader) {
        JunctionCodegen.Builder builder = JunctionCodegen.builder()
                .locations(locations(project).toArray(String[]::new))
                .classLoader(loader)
                .placeholders(placeholders == null ? Map.of() : new LinkedHashMap<>(placeholders))
                .packageName(packageName)
                .targetDirectory(target.toPath())
                .includes(includes)
                .excludes(excludes == null ? "" : excludes)
                .pojos(pojos)
                .migrationRole(migrationRole)
                .generator(generator)
                .force(force);
        if (schemas != null && !schemas.isEmpty()) {
            builder.schemas(schemas.toArray(String[]::new));
        }
        return builder.build();
    }

    private List<String> locations(MavenProject project) {
        if (migrations == null || migrations.isEmpty()) {
            return List.of(project.getBasedir().toPath().resolve("src/main/resources/db/migration").toString());
        }
        List<String> resolved = new ArrayList<>();
        for (String location : migrations) {
            String trimmed = location.strip();
            // Relative directories are the project's, not the working directory's (a reactor build runs from root).
            boolean directory = !trimmed.startsWith("classpath:");
            String path = trimmed.startsWith("filesystem:") ? trimmed.substring("filesystem:".length()) : trimmed;
            resolved.add(directory ? project.getBasedir().toPath().resolve(path).toString() : trimmed);
        }
        return resolved;
    }

    /**
     * The class path that {@code classpath:} migration locations are found on: the project's resource directories
     * (not yet copied to {@code target/classes} in generate-sources) and its compile dependencies; the plugin's own
     * class loader as parent, so Flyway and the driver come from the plugin.
     */
    private URLClassLoader projectClassLoader(MavenProject project) throws MojoExecutionException {
        List<URL> urls = new ArrayList<>();
        try {
            for (Resource resource : project.getResources()) {
                urls.add(Path.of(resource.getDirectory()).toUri().toURL());
            }
            // The project's own output directory holds the resources of an earlier build, stale or duplicate: the
            // resource directories above are the source of truth in generate-sources.
            File output = new File(project.getBuild().getOutputDirectory()).getAbsoluteFile();
            for (String element : project.getCompileClasspathElements()) {
                File file = new File(element).getAbsoluteFile();
                if (!file.equals(output)) {
                    urls.add(file.toURI().toURL());
                }
            }
        } catch (MalformedURLException | DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("junction codegen: could not build the project's class path for"
                    + " classpath: migration locations: " + e.getMessage(), e);
        }
        return new URLClassLoader(urls.toArray(URL[]::new), GenerateMojo.class.getClassLoader());
    }

    private void addSourceRoot(MavenProject project, File target, boolean generated) {
        if (generated || target.isDirectory()) {
            project.addCompileSourceRoot(target.getAbsolutePath());
        }
    }

    private static <T> T required(@Nullable T value, String name) throws MojoExecutionException {
        if (value == null) {
            throw new MojoExecutionException("junction-maven-plugin configuration: " + name + " is required");
        }
        return value;
    }
}
