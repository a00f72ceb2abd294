package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM killed with SIGKILL runs no shutdown hook; the watchdog must still stop its servers (issue 2). */
class OrphanIT {

    @Test
    void serversOfAJvmKilledWithSigkillAreStoppedAndTheirDataDeleted() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanProbe.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("PIDS"));
            assertThat(line).as("the probe JVM reported its cluster").isNotNull();
            String[] parts = line.split(" DIR ");
            List<ProcessHandle> servers = Arrays.stream(parts[0].substring(5).split(" "))
                    .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow()).toList();
            Path dir = Path.of(parts[1]);
            assertThat(servers).allMatch(ProcessHandle::isAlive);

            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (servers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(servers).noneMatch(ProcessHandle::isAlive);
            while (dir.toFile().exists() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(dir).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }
}
