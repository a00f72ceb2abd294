package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.RoutingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-field checks for clusters whose roles the monitor discovers, and how several problems are reported. */
class ConfigValidatorDiscoveredRolesTest {

    private static RoutingConfig.Builder credentials() {
        return RoutingConfig.builder().credentials("app", "x");
    }

    @Test
    void fallbackFailIsFineWithTwoDiscoveredNodes() {
        RoutingConfig two = credentials().fallback(FallbackPolicy.FAIL)
                .node(NodeConfig.discovered("a", "jdbc:postgresql://a/app"))
                .node(NodeConfig.discovered("b", "jdbc:postgresql://b/app")).build();
        assertThat(ConfigValidator.problems(two)).isEmpty();
    }

    @Test
    void aSingleDiscoveredNodeIsFineWhenReadsMayFallBackToThePrimary() {
        RoutingConfig one = credentials().fallback(FallbackPolicy.PRIMARY)
                .node(NodeConfig.discovered("a", "jdbc:postgresql://a/app")).build();
        assertThat(ConfigValidator.problems(one)).isEmpty();
    }

    @Test
    void nodesWithoutARoleAmongNodesWithOneAreNamedTogether() {
        RoutingConfig mixed = credentials()
                .node(NodeConfig.primary("p", "jdbc:postgresql://p/app"))
                .node(NodeConfig.discovered("b", "jdbc:postgresql://b/app"))
                .node(NodeConfig.discovered("c", "jdbc:postgresql://c/app")).build();
        assertThat(ConfigValidator.problems(mixed)).singleElement().asString()
                .contains("nodes 'b', 'c' have no role while others have one");
        RoutingConfig oneMissing = credentials()
                .node(NodeConfig.primary("p", "jdbc:postgresql://p/app"))
                .node(NodeConfig.discovered("b", "jdbc:postgresql://b/app")).build();
        assertThat(ConfigValidator.problems(oneMissing)).singleElement().asString()
                .contains("node 'b' has no role while others have one");
    }

    @Test
    void oneProblemIsReportedOnTheFirstLine() {
        RoutingConfig noReplica = credentials().fallback(FallbackPolicy.FAIL)
                .node(NodeConfig.primary("p", "jdbc:postgresql://p/app")).build();
        assertThatThrownBy(() -> ConfigValidator.check(noReplica)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid routing configuration: fallback: fallback FAIL without any replica")
                .hasMessageNotContaining(System.lineSeparator());
    }

    @Test
    void discoveredNodesNeedNoPrimaryButStillNoDuplicates() {
        RoutingConfig twice = credentials()
                .node(NodeConfig.discovered("a", "jdbc:postgresql://a/app"))
                .node(NodeConfig.discovered("b", "jdbc:postgresql://A:5432/app")).build();
        assertThat(ConfigValidator.problems(twice)).singleElement().asString()
                .contains("nodes 'a' and 'b' both point at");
    }

    @Test
    void severalProblemsAreListedOnePerLineWithTheirCount() {
        RoutingConfig bad = credentials()
                .node(NodeConfig.primary("a", "jdbc:postgresql://a/app"))
                .node(NodeConfig.primary("b", "jdbc:postgresql://b/app"))
                .node(NodeConfig.replica("a", "jdbc:postgresql://c/app")).build();
        List<ConfigProblem> problems = ConfigValidator.problems(bad);
        assertThat(problems).hasSize(2);
        assertThatThrownBy(() -> ConfigValidator.check(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid routing configuration (2 problems):" + System.lineSeparator()
                        + "  - ")
                .hasMessageContaining("node 'a' is listed twice")
                .hasMessageContaining("nodes 'a' and 'b' all have role primary");
    }

    @Test
    void noProblemsMeansNoException() {
        ConfigValidator.throwIfAny(List.of());
        RoutingConfig fine = credentials().node(NodeConfig.primary("p", "jdbc:postgresql://p/app"))
                .node(NodeConfig.replica("r", "jdbc:postgresql://r/app")).build();
        ConfigValidator.check(fine);
        assertThat(ConfigValidator.problems(fine)).isEmpty();
    }
}
