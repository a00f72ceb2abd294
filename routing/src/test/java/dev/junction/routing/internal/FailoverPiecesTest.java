package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import dev.junction.ConsistencyToken;
import dev.junction.routing.NodeConfig;
import dev.junction.routing.Pooler;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Role;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The pure pieces of failover and pooler support (issue 11). */
class FailoverPiecesTest {

    private static NodeHealth standby(@Nullable Integer timeline, long lsn) {
        return new NodeHealth(true, true, Role.REPLICA, lsn, 0L, null, null, false, Instant.now(), null, timeline,
                null);
    }

    @Test
    void aTokenIsOnlyJudgedOnAStandbyKnownToBeOnItsTimeline() {
        ConsistencyToken token = ConsistencyToken.of(42, 1, 1_000, Instant.now());
        assertThat(Eligibility.onTokenTimeline(standby(1, 2_000), token)).isTrue();
        assertThat(Eligibility.onTokenTimeline(standby(2, 2_000), token)).isFalse();
        assertThat(Eligibility.onTokenTimeline(standby(null, 2_000), token)).isFalse();
    }

    @Test
    void theTimelineOfAPrimaryComesFromItsWalFileName() {
        assertThat(Probe.timelineOfWalFile("000000010000000000000003")).isEqualTo(1);
        assertThat(Probe.timelineOfWalFile("0000001A0000000200000003")).isEqualTo(26);
        assertThat(Probe.timelineOfWalFile(null)).isNull();
    }

    @Test
    void aPooledNodeGetsNoServerSidePreparedStatementsNoConnectTimeSetsAndNoSessionReadOnlyMode() {
        RoutingConfig config = RoutingConfig.builder().credentials("app", "x").pooler(Pooler.PGBOUNCER_TRANSACTION)
                .node(NodeConfig.primary("p", "jdbc:postgresql://bouncer:6432/p"))
                .node(NodeConfig.replica("r", "jdbc:postgresql://bouncer:6432/r"))
                .build();
        HikariConfig replica = PoolConfigs.hikariConfig(config.nodes().get(1), config.replicaPool(), config);
        assertThat(replica.getDataSourceProperties()).containsEntry("prepareThreshold", "0")
                .containsEntry("assumeMinServerVersion", "9.0").doesNotContainKey("readOnlyMode");
        assertThat(replica.isReadOnly()).isTrue();
        HikariConfig primary = PoolConfigs.hikariConfig(config.nodes().get(0), config.primaryPool(), config);
        assertThat(primary.getDataSourceProperties()).containsEntry("prepareThreshold", "0");
    }

    @Test
    void withoutAPoolerReplicaPoolsStayReadOnlyAtTheServerAndDiscoveredNodesStayWritable() {
        RoutingConfig fixed = RoutingConfig.builder().credentials("app", "x")
                .node(NodeConfig.primary("p", "jdbc:postgresql://a/app"))
                .node(NodeConfig.replica("r", "jdbc:postgresql://b/app")).build();
        HikariConfig replica = PoolConfigs.hikariConfig(fixed.nodes().get(1), fixed.replicaPool(), fixed);
        assertThat(replica.getDataSourceProperties()).containsEntry("readOnlyMode", "always")
                .doesNotContainKey("prepareThreshold");

        RoutingConfig discovered = RoutingConfig.builder().credentials("app", "x")
                .node(NodeConfig.discovered("a", "jdbc:postgresql://a/app"))
                .node(NodeConfig.discovered("b", "jdbc:postgresql://b/app")).build();
        HikariConfig node = PoolConfigs.hikariConfig(discovered.nodes().get(1), discovered.primaryPool(), discovered);
        assertThat(node.isReadOnly()).isFalse();
        assertThat(node.getDataSourceProperties()).doesNotContainKey("readOnlyMode");
    }
}
