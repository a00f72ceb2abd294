package dev.junction.testkit;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A small shell process per cluster that outlives a JVM killed with SIGKILL (when no shutdown hook runs): once the
 * JVM is gone it stops the cluster's servers (immediate shutdown, then SIGKILL) and deletes the data directory. It
 * exits by itself when the directory disappears, i.e. after a normal {@link EmbeddedPostgresCluster#close()}.
 */
final class Watchdog {
    private static final String SCRIPT = """
            jvm=$1; base=$2
            while kill -0 "$jvm" 2>/dev/null && [ -d "$base" ]; do sleep 1; done
            [ -d "$base" ] || exit 0
            for f in "$base"/*/postmaster.pid; do [ -f "$f" ] && kill -QUIT "$(head -n 1 "$f")" 2>/dev/null; done
            sleep 3
            for f in "$base"/*/postmaster.pid; do [ -f "$f" ] && kill -KILL "$(head -n 1 "$f")" 2>/dev/null; done
            rm -rf "$base"
            """;

    private Watchdog() {
    }

    static @Nullable Process start(Path baseDirectory) {
        try {
            return new ProcessBuilder("sh", "-c", SCRIPT, "junction-watchdog",
                    Long.toString(ProcessHandle.current().pid()), baseDirectory.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LoggerFactory.getLogger(Watchdog.class).warn("no watchdog for {} ({}); servers may outlive a JVM killed"
                    + " with SIGKILL", baseDirectory, e.toString());
            return null;
        }
    }
}
