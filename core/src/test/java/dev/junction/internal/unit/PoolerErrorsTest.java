package dev.junction.internal.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConfigurationException;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/** The clear error for server-side prepared statements lost behind a transaction-mode pooler (issue 11). */
class PoolerErrorsTest {

    private static DataAccessException jooq(String message, String state) {
        return new DataAccessException("SQL [select 1]; " + message, new SQLException(message, state));
    }

    @Test
    void aMissingDriverStatementNamesTheNodeAndThePoolerSetting() {
        ConfigurationException e = PoolerErrors.translate(
                jooq("ERROR: prepared statement \"S_3\" does not exist", "26000"), "replica-1");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("node 'replica-1' answered 'prepared statement \"S_3\" does not exist'"
                + " (SQLState 26000)").contains("'pooler: pgbouncer-transaction'").contains("prepareThreshold=0");
        assertThat(e.getCause()).isInstanceOf(DataAccessException.class);
    }

    @Test
    void aDriverStatementFoundTwiceIsTheSameMisconfiguration() {
        assertThat(PoolerErrors.translate(jooq("ERROR: prepared statement \"S_1\" already exists", "42P05"),
                "primary")).isNotNull();
    }

    @Test
    void otherErrorsAndTheApplicationsOwnStatementsAreLeftAlone() {
        assertThat(PoolerErrors.translate(jooq("ERROR: prepared statement \"mine\" does not exist", "26000"),
                "primary")).isNull();
        assertThat(PoolerErrors.translate(jooq("ERROR: relation \"S_1\" does not exist", "42P01"), "primary"))
                .isNull();
        assertThat(PoolerErrors.translate(new IllegalStateException("no SQLState"), "primary")).isNull();
    }
}
