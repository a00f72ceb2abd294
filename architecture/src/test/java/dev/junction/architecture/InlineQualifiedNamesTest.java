package dev.junction.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code names types by their simple names: a fully-qualified name written inline where an import would do makes
 * a line harder to read and hides the file's dependencies from its import list. The only accepted inline names are
 * those that clash with another type of the same simple name in the file (an import cannot serve both).
 */
class InlineQualifiedNamesTest {

    /** A qualified type reference: lower-case package segments, then an upper-case simple name. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.\"])((?:java|javax|jakarta|org|com|io|dev)\\.(?:[a-z_][a-z0-9_]*\\.)+)([A-Z][A-Za-z0-9_]*)");

    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.([A-Z]\\w*)(?:\\.\\w+)?;");

    @Test
    void mainSourcesUseImportsInsteadOfInlineQualifiedNames() throws IOException {
        Path root = projectRoot();
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(InlineQualifiedNamesTest::isMainSource).forEach(file -> findings.addAll(inspect(root, file)));
        }
        assertThat(findings)
                .as("inline fully-qualified type names in main code: import the type instead (or, when two types share"
                        + " a simple name, keep the qualified name for the second only)")
                .isEmpty();
    }

    @Test
    void anInlineQualifiedNameIsReported() {
        List<String> findings = inspectLines(Path.of("Example.java"), List.of(
                "package dev.example;",
                "import java.util.List;",
                "class Example {",
                "    // a comment may say java.util.Locale.ROOT",
                "    String s = \"java.util.Locale\";",
                "    String t = name().toLowerCase(java.util.Locale.ROOT);",
                "}"));
        assertThat(findings).containsExactly("Example.java:6: java.util.Locale");
    }

    @Test
    void aQualifiedNameOfAnImportedTypeIsReported() {
        List<String> findings = inspectLines(Path.of("Example.java"), List.of(
                "import java.util.List;",
                "class Example {",
                "    java.util.List<String> names;",
                "}"));
        assertThat(findings).containsExactly("Example.java:3: java.util.List");
    }

    @Test
    void aQualifiedNameThatClashesWithAnImportIsAccepted() {
        List<String> findings = inspectLines(Path.of("Example.java"), List.of(
                "import java.util.List;",
                "class Example {",
                "    java.awt.List widgets;",
                "}"));
        assertThat(findings).isEmpty();
    }

    private static boolean isMainSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/main/java/") && !path.contains("/target/")
                && !path.contains("/.git/") && !path.endsWith("module-info.java");
    }

    private static List<String> inspect(Path root, Path file) {
        try {
            return inspectLines(root.relativize(file), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> inspectLines(Path file, List<String> lines) {
        Map<String, String> imported = new HashMap<>();
        List<String> declared = new ArrayList<>();
        for (String line : lines) {
            Matcher m = IMPORT.matcher(line.strip());
            if (m.find() && !line.strip().startsWith("import static ")) {
                imported.put(m.group(2), m.group(1) + "." + m.group(2));
            }
            Matcher d = DECLARATION.matcher(line);
            while (d.find()) {
                declared.add(d.group(1));
            }
        }
        List<String> findings = new ArrayList<>();
        boolean inBlockComment = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (inBlockComment) {
                inBlockComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("/*")) {
                inBlockComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("//") || line.startsWith("*") || line.startsWith("import ")
                    || line.startsWith("package ") || line.startsWith("@")) {
                continue;
            }
            String code = withoutStringsAndComments(line);
            Matcher m = QUALIFIED.matcher(code);
            while (m.find()) {
                String simple = m.group(2);
                String qualified = m.group(1) + simple;
                String importedAs = imported.get(simple);
                boolean clashes = declared.contains(simple) || (importedAs != null && !importedAs.equals(qualified));
                if (!clashes) {
                    findings.add(file + ":" + (i + 1) + ": " + qualified);
                }
            }
        }
        return findings;
    }

    /** Blanks string literals and a trailing line comment, so names inside them are not reported. */
    private static String withoutStringsAndComments(String line) {
        StringBuilder out = new StringBuilder(line.length());
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                out.append(' ');
            } else if (c == '"') {
                inString = true;
                out.append(' ');
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the project root (the directory holding README.md) above the working directory").isNotNull();
        return dir;
    }
}
