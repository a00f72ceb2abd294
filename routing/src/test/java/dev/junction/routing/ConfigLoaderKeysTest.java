package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.util.List;
import java.util.Map;
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
