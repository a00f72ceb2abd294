package dev.junction.codegen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migration locations of one codegen run, in Flyway's notation ({@code filesystem:/abs/dir} or
 * {@code classpath:db/migration}), and the files they hold. A location is a directory or a {@code classpath:}
 * location; class path locations are looked up with the run's class loader, in directories and in jars alike, so the
 * fingerprint covers migrations shipped in a dependency too.
 */
public final class MigrationLocations {
    private static final String CLASSPATH = "classpath:";
    private static final String FILESYSTEM = "filesystem:";
    private static final Pattern MIGRATION = Pattern.compile("[VR].*__.+\\.sql");

    private final List<String> locations;
    private final ClassLoader loader;

    /**
     * @param locations normalized locations (see {@link #normalize})
     * @param loader the class loader that {@code classpath:} locations are resolved with
     */
    public MigrationLocations(List<String> locations, ClassLoader loader) {
        this.locations = List.copyOf(locations);
        this.loader = loader;
    }

    /** One file of a location: its name relative to the location, and its bytes. */
    public record MigrationFile(String location, String name, byte[] bytes) {
    }

    /**
     * A location in Flyway's notation: {@code classpath:} locations keep their path without a leading slash; a
     * {@code filesystem:} location or a plain path becomes {@code filesystem:} with an absolute, normalized path.
     */
    public static String normalize(String location) {
        if (location.startsWith(CLASSPATH)) {
            String path = location.substring(CLASSPATH.length());
            while (path.startsWith("/")) {
                path = path.substring(1);
            }
            return CLASSPATH + path;
        }
        String path = location.startsWith(FILESYSTEM) ? location.substring(FILESYSTEM.length()) : location;
        return FILESYSTEM + Path.of(path).toAbsolutePath().normalize();
    }

    /** Whether {@code location} (normalized) is looked up on the class path. */
    public static boolean isClasspath(String location) {
        return location.startsWith(CLASSPATH);
    }

    /** The locations, normalized, for Flyway's {@code locations(...)}. */
    public List<String> flywayLocations() {
        return locations;
    }

    /**
     * What is wrong with the locations, one message per problem naming the location and the fix; empty when every
     * location exists and together they hold at least one migration named like {@code V1__init.sql}.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (locations.isEmpty()) {
            problems.add("migrations must name at least one location (a directory or classpath:db/migration)");
            return problems;
        }
        for (String location : locations) {
            if (isClasspath(location)) {
                if (resources(location).isEmpty()) {
                    problems.add("migration location '" + location + "' is not on the class path; check the path, or"
                            + " that the resource directory or dependency holding it is on the build's class path");
                }
            } else {
                Path dir = Path.of(location.substring(FILESYSTEM.length()));
                if (!Files.isDirectory(dir)) {
                    problems.add("migrations must be a directory of Flyway SQL migrations such as V1__init.sql, but '"
                            + dir + "' " + (Files.exists(dir) ? "is not a directory" : "does not exist")
                            + "; point it at the directory that holds the migrations");
                }
            }
        }
        if (problems.isEmpty() && files().stream().noneMatch(f -> MIGRATION.matcher(fileName(f.name())).matches())) {
            problems.add("migrations must contain at least one Flyway SQL migration named like V1__init.sql, but "
                    + locations + " hold none; check the path");
        }
        return problems;
    }

    /** Every regular file under every location, sorted by location and name, for the fingerprint. */
    public List<MigrationFile> files() {
        List<MigrationFile> files = new ArrayList<>();
        for (String location : locations) {
            if (isClasspath(location)) {
                // A name found under several class path entries is the first one's, as the class loader sees it.
                List<MigrationFile> found = new ArrayList<>();
                for (URL url : resources(location)) {
                    readResource(location, url, found);
                }
                Set<String> names = new HashSet<>();
                for (MigrationFile file : found) {
                    if (names.add(file.name())) {
                        files.add(file);
                    }
                }
            } else {
                Path dir = Path.of(location.substring(FILESYSTEM.length()));
                if (Files.isDirectory(dir)) {
                    readDirectory(location, dir, files);
                }
            }
        }
        files.sort(Comparator.comparing(MigrationFile::location).thenComparing(MigrationFile::name));
        return files;
    }

    private List<URL> resources(String location) {
        try {
            Enumeration<URL> urls = loader.getResources(location.substring(CLASSPATH.length()));
            return Collections.list(urls);
        } catch (IOException e) {
            throw new UncheckedIOException("could not look up migration location '" + location + "': "
                    + e.getMessage(), e);
        }
    }

    private static void readResource(String location, URL url, List<MigrationFile> files) {
        try {
            if (url.getProtocol().equals("file")) {
                readDirectory(location, Path.of(url.toURI()), files);
            } else if (url.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                String prefix = connection.getEntryName() + "/";
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                files.add(new MigrationFile(location, entry.getName().substring(prefix.length()),
                                        in.readAllBytes()));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("could not read migration location '" + location + "' at " + url + ": "
                    + e.getMessage(), e);
        }
    }

    private static void readDirectory(String location, Path dir, List<MigrationFile> files) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.add(new MigrationFile(location, dir.relativize(file).toString().replace('\\', '/'),
                        Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the migrations under '" + dir + "': " + e.getMessage(), e);
        }
    }

    private static String fileName(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
