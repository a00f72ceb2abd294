package dev.junction.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated sources in-test with {@code -Xlint:all} and loads them. */
final class GeneratedSources {
    private GeneratedSources() {
    }

    /** The result of compiling: every diagnostic javac reported, rendered, and the class directory. */
    record Compilation(List<String> diagnostics, Path classes) {
        URLClassLoader load() {
            try {
                return new URLClassLoader(new URL[] {classes.toUri().toURL()}, GeneratedSources.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Compiles every {@code .java} file under the source roots into {@code classes}, against the test class path. */
    static Compilation compile(Path classes, Path... sourceRoots) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(collector, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            List<Path> sources = new ArrayList<>();
            for (Path root : sourceRoots) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                }
            }
            List<String> options = List.of("--release", "21", "-Xlint:all", "-proc:none", "-encoding", "UTF-8",
                    "-classpath", testClassPath(), "-d", classes.toString());
            Boolean ok = compiler.getTask(null, files, collector, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> diagnostics = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
                diagnostics.add(d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":"
                        + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT));
            }
            if (!Boolean.TRUE.equals(ok) && diagnostics.isEmpty()) {
                diagnostics.add("ERROR javac failed without diagnostics");
            }
            return new Compilation(diagnostics, classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Deletes a directory tree if it exists. */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
