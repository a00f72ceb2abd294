package dev.junction.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint covers every class of the generator, wherever it is loaded from: a hand-kept list once missed the
 * classes added later, and the Maven plugin kept a project's stale output after the generator changed.
 */
class FingerprintClassesTest {

    private static Path classDirectory() throws URISyntaxException {
        return Path.of(Fingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void everyGeneratorClassCountsIncludingThoseAHandKeptListMissed() {
        SortedMap<String, byte[]> classes = Fingerprint.generatorClasses();
        assertThat(classes).containsKeys("dev/junction/codegen/internal/GraphSource.class",
                "dev/junction/codegen/internal/GraphNames.class", "dev/junction/codegen/internal/GraphGenerator.class",
                "dev/junction/codegen/JunctionCodegen.class");
        // Nested classes too: they are generated code's templates as much as their outer classes.
        assertThat(classes.keySet()).anyMatch(name -> name.contains("$"));
        assertThat(classes.values()).allSatisfy(bytes -> assertThat(bytes).startsWith(0xCA, 0xFE, 0xBA, 0xBE));
    }

    @Test
    void aJarOfTheGeneratorYieldsTheSameClassesAsItsClassDirectory(@TempDir Path dir)
            throws IOException, URISyntaxException {
        SortedMap<String, byte[]> fromDirectory = Fingerprint.generatorClasses(classDirectory());
        Path jar = dir.resolve("junction-codegen.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes());
            zip.putNextEntry(new ZipEntry("org/other/Elsewhere.class"));
            zip.write(new byte[] {1, 2, 3});
            for (Map.Entry<String, byte[]> e : fromDirectory.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        }
        SortedMap<String, byte[]> fromJar = Fingerprint.generatorClasses(jar);
        assertThat(fromJar.keySet()).containsExactlyElementsOf(fromDirectory.keySet());
        fromDirectory.forEach((name, bytes) -> assertThat(fromJar.get(name)).as(name).isEqualTo(bytes));
    }
}
