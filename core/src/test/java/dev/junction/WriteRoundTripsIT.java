package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.junction.spi.LentConnections;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/**
 * A write at the floor (issue 25): no more round trips than a plain JDBC transaction (its statements and the commit,
 * which also reads the token), with the server-side budget kept as session settings of the physical connection, set
 * once and again only for another budget; a read on the same pool never runs under a write's limits.
 */
@WithEmbeddedCluster(replicas = 0)
class WriteRoundTripsIT {

    /** The budget settings the statement runs under, in one statement (one round trip). */
    private static List<String> limits(DSLContext ctx) {
        return List.of(ctx.fetch("select current_setting('statement_timeout'),"
                + " current_setting('idle_in_transaction_session_timeout'), current_setting('transaction_timeout')")
                .get(0).into(String[].class));
    }

    @Test
    void aWriteTakesItsStatementsAndTheCommitOnlyOnceTheSessionCarriesItsBudget(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table if not exists rt (id int primary key, n int not null)");
        cluster.primary().execute("grant all on rt to " + cluster.user());
        cluster.primary().execute("insert into rt values (1, 0) on conflict do nothing");
        // One connection, serving reads and writes alike: the primary's pool of a service that reads there too.
        try (HikariDataSource ds = TwoPoolRouter.pool(cluster, cluster.primary(), 1, false);
             Database db = Junction.builder().dataSource(ds).transactionBudget(Duration.ofSeconds(5)).build()) {
            Commit<Integer> first = db.write(tx -> tx.execute("update rt set n = n + 1 where id = 1"));
            Commit<Integer> second = db.write(tx -> tx.execute("update rt set n = n + 1 where id = 1"));
            Commit<Integer> third = db.write(tx -> tx.execute("update rt set n = n + 1 where id = 1"));
            assertThat(first.report().roundTrips()).as("the session's limits, the update, the commit").isEqualTo(3);
            assertThat(second.report().roundTrips()).as("the update and the commit, as plain JDBC").isEqualTo(2);
            assertThat(third.report().roundTrips()).isEqualTo(2);

            // The server enforces the budget: the write runs under it.
            Commit<List<String>> underDefault = db.write(WriteRoundTripsIT::limits);
            assertThat(underDefault.value()).containsExactly("5s", "6s", "6s");
            assertThat(underDefault.report().roundTrips()).isEqualTo(2);

            // Another budget is set for that write, and the default again for the next.
            Commit<List<String>> shorter = db.write(Duration.ofMillis(700), WriteRoundTripsIT::limits);
            assertThat(shorter.value()).containsExactly("700ms", "1700ms", "1700ms");
            assertThat(shorter.report().roundTrips()).isEqualTo(3);
            Commit<List<String>> back = db.write(WriteRoundTripsIT::limits);
            assertThat(back.value()).containsExactly("5s", "6s", "6s");
            assertThat(back.report().roundTrips()).isEqualTo(3);

            // A read on the same connection runs under the server's defaults, not the write's budget; the reset
            // costs that one read a round trip, and the next read none.
            db.write(Duration.ofMillis(300), WriteRoundTripsIT::limits);
            Reported<List<String>> read = db.readReported(WriteRoundTripsIT::limits);
            assertThat(read.value()).containsExactly("0", "0", "0");
            assertThat(read.report().roundTrips()).isEqualTo(2);
            // Longer than the last write's statement_timeout (300ms): it completes.
            db.write(Duration.ofMillis(300), tx -> tx.execute("update rt set n = n + 1 where id = 1"));
            assertThat(db.read(ctx -> ctx.fetch("select pg_sleep(0.5)")).size()).isEqualTo(1);
            Reported<List<String>> again = db.readReported(WriteRoundTripsIT::limits);
            assertThat(again.report().roundTrips()).isEqualTo(1);
        }
    }
    @Test
    void aConnectionLentOutsideJunctionIsClearedOfTheBudgetAWriteLeftOnItsSession(EmbeddedPostgresCluster cluster)
            throws SQLException {
        // One connection: the one the write used is the one lent next, as under a Spring transaction on that pool.
        try (HikariDataSource ds = TwoPoolRouter.pool(cluster, cluster.primary(), 1, false);
             Database db = Junction.builder().dataSource(ds).transactionBudget(Duration.ofSeconds(5)).build()) {
            db.write(Duration.ofSeconds(3), WriteRoundTripsIT::limits);
            try (Connection lent = ds.getConnection()) {
                assertThat(statementTimeout(lent)).as("what foreign code would run under").isEqualTo("3s");
                assertThat(LentConnections.clearWriteBudget(lent)).as("a reset was sent").isTrue();
                assertThat(statementTimeout(lent)).isEqualTo("0");
                assertThat(LentConnections.clearWriteBudget(lent)).as("nothing left to clear: no round trip")
                        .isFalse();
            }
            // Junction's next write sets its budget again: the registry knows the session was cleared.
            Commit<List<String>> next = db.write(WriteRoundTripsIT::limits);
            assertThat(next.value()).containsExactly("5s", "6s", "6s");
        }
    }

    private static String statementTimeout(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('statement_timeout')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
