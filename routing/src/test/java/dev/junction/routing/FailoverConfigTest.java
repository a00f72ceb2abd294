package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.spi.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Configuration of discovered roles, the pooler and the split-brain policy (issue 11). */
class FailoverConfigTest {

    private static RoutingConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "junction.yaml", Map.of());
    }

    @Test
    void nodesWithoutRolesAreDiscoveredAndTakeThePrimaryPoolSettings() {
        RoutingConfig c = parse("""
                credentials: {user: app, password: secret}
                nodes:
                  - name: pg-1
                    url: jdbc:postgresql://pg-1:5432/app
                  - name: pg-2
                    url: jdbc:postgresql://pg-2:5432/app
                pool:
                  primary: {maximumPoolSize: 12}
                  replica: {maximumPoolSize: 3}
                splitBrain: refuse-writes
                """);
        assertThat(c.discoversRoles()).isTrue();
        assertThat(c.nodes()).allSatisfy(n -> assertThat(n.roleDiscovered()).isTrue());
        assertThat(c.poolFor(c.nodes().get(1)).maximumPoolSize()).isEqualTo(12);
        assertThat(c.splitBrain()).isEqualTo(SplitBrainPolicy.REFUSE_WRITES);
        assertThat(c.pooler()).isEqualTo(Pooler.NONE);
    }

    @Test
    void theDefaultsAreFixedRolesNoPoolerAndTheNewestTimeline() {
        RoutingConfig c = RoutingConfig.builder().credentials("app", "x")
                .node(NodeConfig.primary("p", "jdbc:postgresql://a/app")).build();
        assertThat(c.discoversRoles()).isFalse();
        assertThat(c.pooler()).isEqualTo(Pooler.NONE);
        assertThat(c.splitBrain()).isEqualTo(SplitBrainPolicy.NEWEST_TIMELINE);
    }

    @Test
    void aPoolerForTheTopologyIsOverriddenPerNodeAndADirectUrlIsKept() {
        RoutingConfig c = parse("""
                credentials: {user: app, password: secret}
                pooler: pgbouncer-transaction
                nodes:
                  - name: primary
                    url: jdbc:postgresql://bouncer:6432/app
                    directUrl: jdbc:postgresql://pg-1:5432/app
                    role: primary
                  - name: replica-1
                    url: jdbc:postgresql://pg-2:5432/app
                    role: replica
                    pooler: none
                """);
        assertThat(c.pooler()).isEqualTo(Pooler.PGBOUNCER_TRANSACTION);
        assertThat(c.poolerFor(c.nodes().get(0))).isEqualTo(Pooler.PGBOUNCER_TRANSACTION);
        assertThat(c.poolerFor(c.nodes().get(1))).isEqualTo(Pooler.NONE);
        assertThat(c.nodes().get(0).directUrl()).isEqualTo("jdbc:postgresql://pg-1:5432/app");

        RoutingConfig java = RoutingConfig.builder().credentials("app", "secret").pooler(Pooler.PGBOUNCER_TRANSACTION)
                .node(NodeConfig.builder().name("primary").jdbcUrl("jdbc:postgresql://bouncer:6432/app")
                        .role(Role.PRIMARY).directUrl("jdbc:postgresql://pg-1:5432/app").build())
                .node(NodeConfig.builder().name("replica-1").jdbcUrl("jdbc:postgresql://pg-2:5432/app")
                        .role(Role.REPLICA).pooler(Pooler.NONE).build())
                .build();
        assertThat(java).isEqualTo(c);
    }

    @Test
    void aMixOfNodesWithAndWithoutRolesIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> parse("""
                credentials: {user: app, password: secret}
                nodes:
                  - name: primary
                    url: jdbc:postgresql://pg-1:5432/app
                    role: primary
                  - name: pg-2
                    url: jdbc:postgresql://pg-2:5432/app
                """)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[1].role: node 'pg-2' has no role while others have one; give every node"
                        + " a role (fixed roles), or none to let the monitor discover the primary");
    }

    @Test
    void badValuesAreReportedWithTheirLineAndTheAcceptedForms() {
        assertThatThrownBy(() -> parse("""
                credentials: {user: app, password: secret}
                pooler: pgbouncer
                splitBrain: oldest
                nodes:
                  - name: pg-1
                    url: jdbc:postgresql://pg-1:5432/app
                """)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("junction.yaml:2: pooler: 'pgbouncer' is not one of none, pgbouncer-transaction")
                .hasMessageContaining("junction.yaml:3: splitBrain: 'oldest' is not one of newest-timeline,"
                        + " refuse-writes");
        assertThatThrownBy(() -> parse("""
                credentials: {user: app, password: secret}
                nodes:
                  - name: pg-1
                    url: jdbc:postgresql://pg-1:5432/app
                    directUrl: postgres://pg-1/app
                """)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[0].directUrl: 'postgres://pg-1/app' is not a PostgreSQL JDBC URL");
    }

    /** Every junction.yaml shown in docs/operations.md loads; checked when the docs are next to the build. */
    @Test
    void theOperationsGuidesExamplesLoad() throws IOException {
        Path doc = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("operations.md");
        Assumptions.assumeTrue(Files.exists(doc), "docs/operations.md is not next to the build");
        Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
        int count = 0;
        while (blocks.find()) {
            RoutingConfig c = ConfigLoader.parse(blocks.group(1), "operations.md", Map.of("JUNCTION_PASSWORD", "x"));
            assertThat(c.nodes()).isNotEmpty();
            count++;
        }
        assertThat(count).isEqualTo(3);
    }

    @Test
    void fallbackFailNeedsASecondNodeWhenRolesAreDiscovered() {
        assertThatThrownBy(() -> ClusterRouter.create(RoutingConfig.builder().credentials("app", "x")
                .node(NodeConfig.discovered("only", "jdbc:postgresql://a/app")).fallback(FallbackPolicy.FAIL)
                .build())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fallback FAIL with a single node would fail every read");
    }
}
