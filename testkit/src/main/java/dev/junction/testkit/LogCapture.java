package dev.junction.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Copies everything written to {@code System.err} (where slf4j-simple logs) into a buffer until closed, while still
 * passing it on, so a test can search the log lines of the code it ran (e.g. for secrets that must never appear).
 * slf4j-simple looks {@code System.err} up on every line, so lines of loggers created earlier are caught too. Not for
 * tests running in parallel in one JVM: {@code System.err} is global.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    /** Starts capturing {@code System.err}. */
    public LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The captured lines that contain {@code fragment}. */
    public List<String> lines(String fragment) {
        return Arrays.stream(text().split("\n")).filter(l -> l.contains(fragment)).toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
