package dev.junction.codegen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jooq.Constants;

/**
 * A SHA-256 over everything that decides the generated output: the migration files (names and bytes), the options,
 * the jOOQ version and the bytes of every class of Junction's generator. Equal fingerprints mean the output would be the same.
 */
public final class Fingerprint {
    /** Where Junction's generator classes live: every class file under it decides the output. */
    private static final String GENERATOR_PACKAGE = "dev/junction/codegen/";

    private Fingerprint() {
    }

    /**
     * The fingerprint, as 64 hex digits.
     *
     * @param migrations the migration locations (every regular file under them counts)
     * @param options a stable rendering of every option that affects the output
     */
    public static String of(MigrationLocations migrations, String options) {
        MessageDigest digest = sha256();
        update(digest, "options\0" + options);
        update(digest, "jooq\0" + Constants.FULL_VERSION);
        for (Map.Entry<String, byte[]> c : generatorClasses().entrySet()) {
            update(digest, "class\0" + c.getKey());
            digest.update(c.getValue());
        }
        for (MigrationLocations.MigrationFile file : migrations.files()) {
            update(digest, "file\0" + file.location() + "\0" + file.name());
            digest.update(file.bytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Every class file of Junction's generator (this module's {@code dev.junction.codegen} tree), by name in a stable
     * order, read from the jar or the directory this class was loaded from. All of them, not a hand-kept list: a list
     * missed the classes added later, and a project that upgraded the plugin kept the old generator's output.
     */
    static SortedMap<String, byte[]> generatorClasses() {
        Path origin;
        try {
            origin = Path.of(Fingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the generator's classes to fingerprint them", e);
        }
        return generatorClasses(origin);
    }

    /** The generator's class files in {@code origin}, a jar or a class directory. */
    static SortedMap<String, byte[]> generatorClasses(Path origin) {
        SortedMap<String, byte[]> classes = new TreeMap<>();
        try {
            if (Files.isDirectory(origin)) {
                Path root = origin.resolve(GENERATOR_PACKAGE);
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                        String name = origin.relativize(f).toString().replace('\\', '/');
                        classes.put(name, Files.readAllBytes(f));
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(origin.toFile())) {
                    for (ZipEntry e : Collections.list(jar.entries())) {
                        if (e.getName().startsWith(GENERATOR_PACKAGE) && e.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                classes.put(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the generator's classes at " + origin, e);
        }
        return classes;
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
