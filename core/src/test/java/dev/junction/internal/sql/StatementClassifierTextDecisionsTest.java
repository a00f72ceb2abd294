package dev.junction.internal.sql;

import static dev.junction.internal.sql.StatementClassifier.Kind.READ;
import static dev.junction.internal.sql.StatementClassifier.Kind.UNKNOWN;
import static dev.junction.internal.sql.StatementClassifier.Kind.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the text alone decides: EXPLAIN in all its spellings, and locking clauses and {@code INTO} found at the right
 * nesting depth. Calls {@code classifyText}, the lexing path itself: {@code classifySql} answers repeated texts from
 * a process-wide cache, which would hide a change in the lexing rules from a test that runs after the text was seen.
 */
class StatementClassifierTextDecisionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"explain analyze insert into t values (1)", "explain analyse delete from t",
            "EXPLAIN ANALYZE VERBOSE update t set v = 1", "explain (analyze) delete from t",
            "explain (analyse) delete from t", "explain (format json, analyze) update t set v = 1",
            "explain (analyze true, buffers) merge into t using s on true when matched then delete",
            "explain analyze select * from t for update", "explain analyze with x as (delete from t) select 1"})
    void explainAnalyzeRunsTheStatementSoItIsAsWritingAsTheStatement(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"explain delete from t", "explain verbose delete from t",
            "explain (costs off) delete from t", "explain (format json, verbose) update t set v = 1",
            "explain analyze select * from t", "explain (analyze) select 1", "explain analyze",
            "explain (analyze)", "explain"})
    void explainWithoutAnalyzeOrOfAReadIsARead(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"explain analyze frobnicate", "explain (analyze) 42"})
    void explainAnalyzeOfSomethingUnrecognisedIsUnknown(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(UNKNOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select coalesce((select max(id) from t), 0) into total from t",
            "select ((1)) as one into t2", "select (select 1) for update", "select f((1)) from t for share",
            "select * from t for no key update", "select * from t for key share",
            "((select * from t for update))", "select ((1)) from t for update",
            "select substring(v from 1 for (2)) into x from t"})
    void lockingClausesAndSelectIntoAreFoundAfterNestedParentheses(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select (select 1 into x)", "select * from t for no update",
            "select * from t for key update", "select * from t for no key share", "select * from t for no",
            "select * from t for key", "select * from t for", "with x as (select 1) select * from x",
            "with x as (select 1) select ((1)) from x"})
    void nearMissesOfLockingAndIntoStayReads(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"with x as (select 1) insert into t select * from x",
            "with x as (select 1) update t set v = 1", "with x as (select 1) delete from t",
            "with x as (select 1) merge into t using x on true when matched then delete",
            "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) insert into t select n from r"})
    void aDataModifyingMainStatementAfterItsCtesIsAWrite(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select insert, update, delete, merge from audit_flags",
            "with x as (select insert from audit_flags) select * from x", "table update", "values (1) "})
    void columnsNamedLikeDmlKeywordsDoNotMakeAQueryAWrite(String sql) {
        // INSERT, UPDATE, DELETE and MERGE are unreserved in PostgreSQL: they can name columns and tables.
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set statement_timeout = 1000", "SHOW server_version", "reset all", "begin",
            "start transaction read only", "commit", "end", "rollback", "savepoint s", "release savepoint s",
            "discard all", "listen c", "unlisten *", "deallocate all"})
    void sessionAndTransactionCommandsAreReads(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "(", "42", "'select'", "\"select\" 1", "-- select"})
    void aTextNotStartingWithAWordIsUnknown(String sql) {
        assertThat(StatementClassifier.classifyText(sql)).isEqualTo(UNKNOWN);
    }
}
