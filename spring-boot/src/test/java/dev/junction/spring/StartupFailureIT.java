package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Each bad property stops start-up, and Boot's failure report (printed by the registered failure analyzers) names
 * the property as the user writes it and the fix; nothing of Junction keeps running.
 */
@WithEmbeddedCluster(replicas = 1, settings = "max_connections=40")
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIT {

    private static String startFailing(Map<String, Object> properties, CapturedOutput output)
            throws InterruptedException {
        int before = output.getOut().length();
        assertThatThrownBy(() -> TestApp.start(properties, WebApplicationType.NONE).close())
                .isInstanceOf(RuntimeException.class);
        JunctionAutoConfigurationIT.awaitEnd();
        assertThat(JunctionAutoConfigurationIT.junctionThreads()).as("nothing left running").isEmpty();
        String report = output.getOut().substring(before);
        assertThat(report).contains("APPLICATION FAILED TO START");
        return report.substring(report.indexOf("APPLICATION FAILED TO START"));
    }

    @Test
    void aMalformedUrlNamesItsPropertyAndTheExpectedForm(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.nodes[1].url", "jdbc:mysql://db-2/app");
        String report = startFailing(p, output);
        assertThat(report).contains("junction.nodes[1].url: ").contains("jdbc:postgresql://")
                .contains("Change junction.nodes[1].url").contains("JUNCTION_NODES_1_URL");
    }

    @Test
    void aPoolOfSizeZeroNamesItsPropertyAndTheMinimum(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.pool.replica.maximum-pool-size", 0);
        String report = startFailing(p, output);
        assertThat(report).contains("junction.pool.replica.maximum-pool-size: must be >= 1")
                .contains("Change junction.pool.replica.maximum-pool-size");
    }

    @Test
    void aDatabaseOptionOutOfRangeNamesItsProperty(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.database.transaction-budget", "0s");
        String report = startFailing(p, output);
        assertThat(report).contains("junction.database.transaction-budget: must be positive")
                .contains("Change junction.database.transaction-budget");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKnownKeysBesideIt(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.pool.primary.maximum-size", 4);
        String report = startFailing(p, output);
        assertThat(report).contains("Unknown Junction properties: junction.pool.primary.maximum-size")
                .contains("Known keys beside junction.pool.primary.maximum-size:")
                .contains("junction.pool.primary.maximum-pool-size");
    }

    @Test
    void anUnknownKeyOfANodeIsRefusedToo(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.nodes[1].rol", "replica");
        String report = startFailing(p, output);
        assertThat(report).contains("Unknown Junction properties: junction.nodes[1].rol")
                .contains("junction.nodes[*].role");
    }

    @Test
    void aReplicaThatIsAPrimaryNamesTheNodesRoleAndUrl(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        // The primary under another host name, so that it is not refused as a duplicate address first.
        p.put("junction.nodes[1].url", cluster.primary().jdbcUrl().replace("127.0.0.1", "localhost"));
        String report = startFailing(p, output);
        assertThat(report).contains("junction.nodes[1].role: ").contains("is a primary")
                .contains("point junction.nodes[1].url at a standby");
    }

    @Test
    void anUnreachableNodeNamesItsUrlAndTheSkipOption(EmbeddedPostgresCluster cluster, CapturedOutput output)
            throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.nodes[1].url", "jdbc:postgresql://127.0.0.1:1/" + cluster.database());
        String report = startFailing(p, output);
        assertThat(report).contains("junction.nodes[1].url: ").contains("not reachable")
                .contains("junction.startup.skip-down-nodes");
    }

    @Test
    void aConnectionBudgetOverMaxConnectionsNamesThePoolsAndAppInstances(EmbeddedPostgresCluster cluster,
                                                                        CapturedOutput output) throws Exception {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.pool.primary.maximum-pool-size", 50);
        String report = startFailing(p, output);
        assertThat(report).contains("connection budget exceeded").contains("junction.app-instances")
                .contains("max_connections");
    }
}
