package dev.junction.doctor;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Test support: junction.yaml files for an embedded cluster, and one doctor run with its output captured. */
final class DoctorRuns {
    private DoctorRuns() {
    }

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
        /** The JSON output parsed (JSON is YAML). */
        Map<String, Object> json() {
            return new Yaml().load(out);
        }
    }

    static String yaml(EmbeddedPostgresCluster cluster, String password, int primaryPool, int replicaPool,
                       int appInstances) {
        StringBuilder sb = new StringBuilder()
                .append("credentials:\n  user: ").append(cluster.user()).append("\n  password: ").append(password)
                .append("\nnodes:\n");
        for (PgNode node : cluster.nodes()) {
            sb.append("  - name: ").append(node.name()).append("\n    url: ").append(node.jdbcUrl())
                    .append("\n    role: ").append(node.isReplica() ? "replica" : "primary").append('\n');
        }
        return sb.append("pool:\n  primary:\n    maximumPoolSize: ").append(primaryPool)
                .append("\n  replica:\n    maximumPoolSize: ").append(replicaPool)
                .append("\nappInstances: ").append(appInstances).append('\n').toString();
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Doctor.run(new ArrayList<>(List.of(args)), Map.of(), o, e);
        }
        Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        // kept in the test's output file, to see what the doctor printed when an assertion fails
        System.out.println("doctor " + String.join(" ", args) + " -> exit " + code + "\n" + run.out() + run.err());
        return run;
    }
}
