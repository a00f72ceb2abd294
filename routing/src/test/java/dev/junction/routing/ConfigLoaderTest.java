package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.spi.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String FULL = """
            credentials:
              user: app
              password: ${DB_PASSWORD}
            nodes:
              - name: primary
                url: jdbc:postgresql://db1:5432/app
                role: primary
              - name: replica-1
                url: ${REPLICA_URL:-jdbc:postgresql://db2:5432/app}
                role: replica
                pool:
                  maximumPoolSize: 4
            pool:
              replica:
                maximumPoolSize: 20
                connectionTimeout: 2s
            selection: least-outstanding
            fallback: fail
            replicaLag:
              max: 2s
              maxBytes: 16MB
              hysteresis: 75%
            slowReplica:
              factor: 8x
              window: 30s
            monitor:
              interval: 250ms
              timeout: 2s
            appInstances: 4
            reservedConnections: 5
            startup:
              skipDownNodes: true
            consistency:
              invalidToken: eventual
            resilience:
              circuitBreaker:
                failureRateThreshold: 40
                minimumCalls: 3
                slidingWindowSize: 10
                waitInOpenState: 1s
                maxWaitInOpenState: 20s
              bulkhead:
                maxWaiting: 7
                adaptive: true
              spill:
                enabled: false
                primaryShare: 40%
            """;

    private static RoutingConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "junction.yaml", env);
    }

    @Test
    void readsEveryKey() {
        RoutingConfig c = parse(FULL, Map.of("DB_PASSWORD", "pw-from-env"));
        assertThat(c.credentials().user()).isEqualTo("app");
        assertThat(c.credentials().password()).isEqualTo("pw-from-env");
        assertThat(c.nodes()).extracting(NodeConfig::name).containsExactly("primary", "replica-1");
        assertThat(c.nodes().get(1).jdbcUrl()).isEqualTo("jdbc:postgresql://db2:5432/app");
        assertThat(c.nodes().get(1).role()).isEqualTo(Role.REPLICA);
        PoolSettings own = c.poolFor(c.nodes().get(1));
        assertThat(own.maximumPoolSize()).isEqualTo(4);
        assertThat(own.connectionTimeout()).isEqualTo(Duration.ofSeconds(2)); // inherited from pool.replica
        assertThat(c.replicaPool().maximumPoolSize()).isEqualTo(20);
        assertThat(c.selection()).isEqualTo(SelectionStrategy.LEAST_OUTSTANDING);
        assertThat(c.fallback()).isEqualTo(FallbackPolicy.FAIL);
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxReplicaLagBytes()).isEqualTo(16L << 20);
        assertThat(c.lagHysteresis()).isEqualTo(0.75);
        assertThat(c.slowReplicaFactor()).isEqualTo(8.0);
        assertThat(c.slowReplicaWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.monitorInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.monitorTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.appInstances()).isEqualTo(4);
        assertThat(c.reservedConnections()).isEqualTo(5);
        assertThat(c.skipDownNodesAtStart()).isTrue();
        assertThat(c.circuitBreaker().failureRateThreshold()).isEqualTo(40f);
        assertThat(c.circuitBreaker().minimumCalls()).isEqualTo(3);
        assertThat(c.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.circuitBreaker().maxWaitInOpenState()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.bulkhead().maxWaitingFor(10)).isEqualTo(7);
        assertThat(c.bulkhead().adaptive()).isTrue();
        assertThat(c.spill()).isEqualTo(SpillSettings.builder().enabled(false).primaryShare(0.4).build());
        assertThat(c.consistency().invalidToken()).isEqualTo(ConsistencySettings.InvalidTokenPolicy.EVENTUAL);
    }

    @Test
    void badUrlNamesFileLineKeyAndTheExpectedForm() {
        String yaml = """
                credentials:
                  user: app
                  password: pw
                nodes:
                  - name: primary
                    url: jdbc:postgresql://db1:5432/app
                    role: primary
                  - name: replica-1
                    url: jdbc:postgres://x
                    role: replica
                """;
        assertThatThrownBy(() -> parse(yaml, Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessage("junction.yaml:9: nodes[1].url: 'jdbc:postgres://x' is not a PostgreSQL JDBC URL;"
                        + " expected jdbc:postgresql://host:port/database");
    }

    @Test
    void unknownKeyIsRejectedWithDidYouMean() {
        String yaml = FULL.replace("    maximumPoolSize: 20", "    maxPoolSize: 20");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "x")))
                .hasMessage("junction.yaml:15: pool.replica.maxPoolSize: unknown key; did you mean"
                        + " 'maximumPoolSize'?");
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownKeys() {
        String yaml = FULL.replace("appInstances: 4", "appInstances: 4\nbanana: 1");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "x")))
                .hasMessageContaining("junction.yaml:30: banana: unknown key; known keys here: pool, credentials,");
    }

    @Test
    void badValuesNameLineKeyAndRule() {
        String yaml = FULL.replace("maximumPoolSize: 4", "maximumPoolSize: 0")
                .replace("max: 2s", "max: soon");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "x")))
                .hasMessageContaining("junction.yaml has 2 problems")
                .hasMessageContaining("junction.yaml:12: nodes[1].pool.maximumPoolSize: must be >= 1, but was 0")
                .hasMessageContaining("junction.yaml:20: replicaLag.max: 'soon' is not a duration; write e.g."
                        + " 500ms, 5s");
    }

    @Test
    void enumValuesListTheChoices() {
        String yaml = FULL.replace("selection: least-outstanding", "selection: fastest");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "x")))
                .hasMessage("junction.yaml:17: selection: 'fastest' is not one of round-robin, random,"
                        + " least-outstanding, latency-aware");
    }

    @Test
    void missingEnvironmentVariableIsNamedWithItsLine() {
        assertThatThrownBy(() -> parse(FULL, Map.of()))
                .hasMessage("junction.yaml:3: credentials.password: environment variable DB_PASSWORD is not set;"
                        + " set it, or give a default with ${DB_PASSWORD:-default}");
    }

    @Test
    void environmentOverridesCredentialsAndUrls() {
        RoutingConfig c = parse(FULL, Map.of("JUNCTION_USER", "ops", "JUNCTION_PASSWORD", "from-env",
                "REPLICA_URL", "jdbc:postgresql://r9:6432/app",
                "JUNCTION_NODE_PRIMARY_URL", "jdbc:postgresql://p9:5432/app"));
        assertThat(c.credentials().user()).isEqualTo("ops");
        assertThat(c.credentials().password()).isEqualTo("from-env");
        assertThat(c.nodes().get(0).jdbcUrl()).isEqualTo("jdbc:postgresql://p9:5432/app");
        assertThat(c.nodes().get(1).jdbcUrl()).isEqualTo("jdbc:postgresql://r9:6432/app");
    }

    @Test
    void crossFieldProblemsPointAtTheirLines() {
        String yaml = """
                credentials: {user: app, password: pw}
                nodes:
                  - name: primary
                    url: jdbc:postgresql://db1/app
                    role: primary
                  - name: primary
                    url: jdbc:postgresql://db2/app
                    role: primary
                """;
        assertThatThrownBy(() -> parse(yaml, Map.of()))
                .hasMessageContaining("junction.yaml:6: nodes[1].name, nodes[0].name: node 'primary' is listed twice")
                .hasMessageContaining("junction.yaml:5: nodes[0].role, nodes[1].role: nodes 'primary' and 'primary'")
                .satisfies(e -> assertThat(e.getMessage()).contains("all have role primary"));
    }

    @Test
    void yamlSyntaxErrorsCarryTheLine() {
        String yaml = "credentials:\n  user: app\n nodes: [\n";
        assertThatThrownBy(() -> parse(yaml, Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("junction.yaml:3: not valid YAML");
    }

    @Test
    void duplicateKeysAreReported() {
        String yaml = FULL.replace("appInstances: 4", "appInstances: 4\nappInstances: 5");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "x")))
                .hasMessageContaining("junction.yaml:30: appInstances: duplicate key (first set on line 29)");
    }

    @Test
    void secretsNeverAppearInMessages() {
        String yaml = FULL.replace("appInstances: 4", "appInstances: many");
        assertThatThrownBy(() -> parse(yaml, Map.of("DB_PASSWORD", "top-secret-value")))
                .hasMessageNotContaining("top-secret-value").hasMessageContaining("'many' is not a whole number");
    }

    @Test
    void loadsFromAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, FULL);
        assertThat(ConfigLoader.load(file, Map.of("DB_PASSWORD", "x")).nodes()).hasSize(2);
        Files.writeString(file, "nodes: 3\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageContaining(file + ":1: nodes: expected a list");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("cannot read configuration file");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertThatThrownBy(() -> parse("appInstances: 2\n", Map.of()))
                .hasMessageContaining("credentials.user: missing")
                .hasMessageContaining("nodes: missing");
        assertThatThrownBy(() -> parse("", Map.of())).hasMessageContaining("junction.yaml:1: the file is empty");
    }
}
