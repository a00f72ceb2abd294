package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.junction.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link ConfigLoader#keys()} lists exactly the keys the reader accepts (issue 19: the starter's parity test). */
class ConfigLoaderKeysTest {
    private static final String NODES = """
            credentials: {user: app}
            nodes:
              - name: primary
                url: jdbc:postgresql://db-1/app
                role: primary
            """;

    @Test
    void theKeysOfEverySectionAreListedNestedKeysWithTheirPathAndListItemsAsBrackets() {
        List<String> keys = ConfigLoader.keys();
        assertThat(keys).contains("credentials.user", "credentials.password", "nodes[].name", "nodes[].url",
                "nodes[].weight", "nodes[].pool.maximumPoolSize", "pool.primary.socketTimeout",
                "pool.replica.minimumIdle", "selection", "replicaLag.hysteresis", "slowReplica.window",
                "monitor.timeout", "resilience.circuitBreaker.maxWaitInOpenState", "resilience.spill.primaryShare",
                "consistency.invalidToken", "database.lints.nPlusOneThreshold",
                "database.slowStatements.bindValues");
        assertThat(keys).as("sections and lists are not keys").doesNotContain("nodes", "pool", "pool.primary",
                "resilience", "resilience.spill", "database.lints", "nodes[].pool");
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void everyListedKeyIsAcceptedByTheReader() {
        for (String key : ConfigLoader.keys()) {
            String yaml = document(key, "not-a-valid-value-9");
            try {
                ConfigLoader.parse(yaml, "junction.yaml", Map.of());
            } catch (ConfigurationException e) {
                // a value refused is fine here; the key itself must be known
                assertThat(e.getMessage()).as(key).doesNotContain("unknown key");
            }
        }
    }

    @Test
    void aKeyTheReaderDoesNotAskForIsNeitherListedNorAccepted() {
        assertThat(ConfigLoader.keys()).doesNotContain("replicaLag.maximum", "nodes[].weigth");
        assertThatThrownBy(() -> ConfigLoader.parse(document("replicaLag.maximum", "5s"), "junction.yaml", Map.of()))
                .hasMessageContaining("replicaLag.maximum: unknown key");
    }

    /**
     * docs/configuration.md has a row for every key ({@code pool.<role>.*} and {@code nodes[].pool.<key>} stand for
     * the pool keys of each role and node); checked when the docs are next to the build.
     */
    @Test
    void theConfigurationPageHasARowForEveryKey() throws Exception {
        Path page = Path.of("..", "docs", "configuration.md");
        assumeTrue(Files.exists(page), "docs/configuration.md is not next to the build");
        Set<String> rows = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE)
                .matcher(Files.readString(page)).results().map(m -> m.group(1)).collect(Collectors.toSet());
        List<String> missing = ConfigLoader.keys().stream().filter(k -> !rows.contains(k)
                && !rows.contains(k.replaceFirst("^pool\\.(primary|replica)\\.", "pool.<role>."))
                && !rows.contains(k.replaceFirst("^nodes\\[]\\.pool\\..*", "nodes[].pool.<key>"))).toList();
        assertThat(missing).as("keys without a row in docs/configuration.md").isEmpty();
    }

    /** A valid file with {@code key} set to {@code value} (on the first node for {@code nodes[].*}). */
    static String document(String key, String value) {
        if (key.startsWith("nodes[].")) {
            String[] path = key.substring("nodes[].".length()).split("\\.");
            StringBuilder node = new StringBuilder("credentials: {user: app}\nnodes:\n  - name: primary\n"
                    + "    url: jdbc:postgresql://db-1/app\n    role: primary\n");
            if (!List.of("name", "url", "role").contains(path[0])) {
                node.append(nested(path, value, "    "));
            }
            return node.toString();
        }
        if (key.startsWith("credentials.") || key.startsWith("nodes")) {
            return NODES;
        }
        return NODES + nested(key.split("\\."), value, "");
    }

    private static String nested(String[] path, String value, String indent) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.length; i++) {
            out.append(indent).append("  ".repeat(i)).append(path[i]).append(':');
            out.append(i == path.length - 1 ? " \"" + value + "\"\n" : "\n");
        }
        return out.toString();
    }
}
