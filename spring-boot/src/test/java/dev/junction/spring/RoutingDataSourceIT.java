package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.WithEmbeddedCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code junction.routing-data-source=true}, plain Spring JDBC code is routed by its transaction's read-only
 * flag: Boot's JdbcTemplate inside a read-only transaction runs on a replica, inside a read-write one on the
 * primary; a write in a read-only transaction fails and writes nothing; with every replica down the read-only
 * transaction falls back to the primary (fallback: primary, the default).
 */
@WithEmbeddedCluster(replicas = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingDataSourceIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute(TestApp.SCHEMA);
        cluster.primary().execute("grant all on note to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    private static ConfigurableApplicationContext start(EmbeddedPostgresCluster cluster) {
        Map<String, Object> p = TestApp.properties(cluster);
        p.put("junction.routing-data-source", true);
        return TestApp.start(p, WebApplicationType.NONE);
    }

    private static boolean inRecovery(TransactionTemplate tx, JdbcTemplate jdbc, boolean readOnly) {
        tx.setReadOnly(readOnly);
        return Boolean.TRUE.equals(tx.execute(s -> jdbc.queryForObject("select pg_is_in_recovery()",
                Boolean.class)));
    }

    @Test
    @Order(1)
    void aReadOnlyTransactionRunsOnAReplicaAndAReadWriteOneOnThePrimary(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(TransactionTemplate.class)
                    .getTransactionManager());
            assertThat(inRecovery(tx, jdbc, true)).as("readOnly = true").isTrue();
            assertThat(inRecovery(tx, jdbc, false)).as("readOnly = false").isFalse();
        }
    }

    @Test
    @Order(2)
    void aWriteInAReadOnlyTransactionFailsAndWritesNothingOnAnyNode(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(TransactionTemplate.class)
                    .getTransactionManager());
            tx.setReadOnly(true);
            assertThatThrownBy(() -> tx.executeWithoutResult(s -> jdbc.update(
                    "insert into note (id, body) values (2001, 'read-only')")))
                    .isInstanceOf(DataAccessException.class);
            tx.setReadOnly(false);
            tx.executeWithoutResult(s -> jdbc.update("insert into note (id, body) values (2002, 'read-write')"));
            cluster.awaitReplication(Duration.ofSeconds(30));
            for (PgNode node : cluster.nodes()) {
                assertThat(node.queryValue("select count(*) from note where id = 2001")).as(node.name())
                        .isEqualTo(0L);
                assertThat(node.queryValue("select count(*) from note where id = 2002")).as(node.name())
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    @Order(3)
    void withEveryReplicaDownAReadOnlyTransactionFallsBackToThePrimary(EmbeddedPostgresCluster cluster) {
        try (ConfigurableApplicationContext context = start(cluster)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(TransactionTemplate.class)
                    .getTransactionManager());
            cluster.replicas().forEach(PgNode::kill);
            // The first reads may still meet a replica the monitor has not yet seen go: they fail over to the next
            // node and then to the primary, so every one of them is answered by the primary.
            for (int i = 0; i < 5; i++) {
                assertThat(inRecovery(tx, jdbc, true)).isFalse();
            }
        }
    }
}
