package dev.junction.codegen.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The record of the last successful run in the target directory: a file holding the fingerprint
 * ({@link Fingerprint}) of what decided the output. A run whose fingerprint matches the file, with the package
 * directory present, is skipped; a run that generates removes the file first and writes it only once the sources are
 * complete, so a failed run is never taken for an up-to-date one. Stateless apart from the paths; not thread-safe
 * across concurrent runs into the same directory (neither is the codegen).
 */
public final class OutputStamp {
    private final Path targetDirectory;
    private final Path stamp;
    private final Path packageDirectory;

    /**
     * @param fileName the stamp's file name inside {@code targetDirectory}
     */
    public OutputStamp(Path targetDirectory, String fileName, String packageName) {
        this.targetDirectory = targetDirectory;
        this.stamp = targetDirectory.resolve(fileName);
        this.packageDirectory = targetDirectory.resolve(packageName.replace('.', '/'));
    }

    /** True when the last run left this fingerprint and its package directory is there. */
    public boolean upToDate(String fingerprint) {
        try {
            return Files.isRegularFile(stamp) && Files.isDirectory(packageDirectory)
                    && Files.readString(stamp, StandardCharsets.UTF_8).trim().equals(fingerprint);
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the target directory and removes the stamp, so an interrupted run leaves none. */
    public void clear() {
        try {
            Files.createDirectories(targetDirectory);
            Files.deleteIfExists(stamp);
        } catch (IOException e) {
            throw new UncheckedIOException("junction codegen: could not prepare targetDirectory '" + targetDirectory
                    + "' (" + e.getMessage() + "); choose a writable directory", e);
        }
    }

    /** Records a complete run. */
    public void write(String fingerprint) {
        try {
            Files.writeString(stamp, fingerprint + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("junction codegen: could not write " + stamp + ": " + e.getMessage(), e);
        }
    }

    /** The {@code .java} files under the package directory, 0 when it does not exist. */
    public int sourceFiles() {
        if (!Files.isDirectory(packageDirectory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(packageDirectory)) {
            return (int) files.filter(f -> f.toString().endsWith(".java")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
