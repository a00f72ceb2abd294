package dev.junction.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's "Where things are" map true: every class it names exists in some module's {@code src/main/java},
 * and every row of the map names at least one class. Renaming or moving a class without updating the map fails here.
 */
class ReadmeMapTest {
    private static final Pattern CLASS_NAME = Pattern.compile("`(dev\\.junction\\.[a-z.]+\\.?[A-Z][A-Za-z0-9]*)`");

    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above %s holding README.md", System.getProperty("user.dir")).isNotNull();
        return dir;
    }

    private static List<String> mapRows(Path root) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("README.md"));
        int start = lines.indexOf("## Where things are");
        assertThat(start).as("README.md has a '## Where things are' section").isNotNegative();
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| ") && !line.startsWith("| behaviour ")) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static boolean existsInSomeModule(Path root, String className) throws IOException {
        String file = "src/main/java/" + className.replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(root)) {
            return modules.filter(Files::isDirectory).anyMatch(module -> Files.isRegularFile(module.resolve(file)));
        }
    }

    @Test
    void everyClassTheReadmeMapNamesExistsInAModule() throws IOException {
        Path root = repositoryRoot();
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (String row : mapRows(root)) {
            Matcher m = CLASS_NAME.matcher(row);
            int inRow = 0;
            while (m.find()) {
                inRow++;
                if (!existsInSomeModule(root, m.group(1))) {
                    missing.add(m.group(1));
                }
            }
            assertThat(inRow).as("the map row %s names a class", row).isPositive();
            named += inRow;
        }
        assertThat(named).as("classes named by the README's map").isGreaterThanOrEqualTo(20);
        assertThat(missing).as("classes the README's map names that no module's src/main/java holds").isEmpty();
    }
}
