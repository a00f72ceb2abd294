package dev.junction.codegen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jooq.Constants;

/**
 * A SHA-256 over everything that decides the generated output: the migration files (names and bytes), the options,
 * the jOOQ version and the bytes of Junction's generator classes. Equal fingerprints mean the output would be the same.
 */
public final class Fingerprint {
    private static final List<Class<?>> GENERATOR_CLASSES = List.of(GraphGenerator.class, RelationNaming.class,
            JavaNames.class, Imports.class, JunctionJavaGenerator.class, Fingerprint.class, JooqConfiguration.class);

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
        for (Class<?> c : GENERATOR_CLASSES) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                update(digest, "class\0" + c.getName());
                if (in != null) {
                    digest.update(in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (MigrationLocations.MigrationFile file : migrations.files()) {
            update(digest, "file\0" + file.location() + "\0" + file.name());
            digest.update(file.bytes());
        }
        return HexFormat.of().formatHex(digest.digest());
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
