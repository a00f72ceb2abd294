package dev.junction.internal.sql;

import static dev.junction.internal.sql.StatementClassifier.Kind.READ;
import static dev.junction.internal.sql.StatementClassifier.Kind.UNKNOWN;
import static dev.junction.internal.sql.StatementClassifier.Kind.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.AbstractRoutine;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The shapes in which jOOQ's {@code ExecuteContext} describes an execution: a single query with an empty or
 * one-element batch array, batches whose SQL array is missing or short, plain SQL without a query object, and stored
 * procedure calls. Each must reach the same decision as the statement it describes.
 */
class StatementClassifierExecutionShapesTest {
    private static final DSLContext CTX = DSL.using(SQLDialect.POSTGRES);
    private static final Query INSERT = CTX.insertInto(DSL.table("t")).columns(DSL.field("v")).values("x");
    private static final Query SELECT = CTX.selectOne();
    private static final String INSERT_SQL = CTX.render(INSERT);
    private static final String SELECT_SQL = CTX.render(SELECT);

    /** A procedure call as generated code describes it; the classifier leaves routines to the server. */
    private static final class RefreshTotals extends AbstractRoutine<Void> {
        RefreshTotals() {
            super("refresh_totals", null);
        }
    }

    @Test
    void aSingleWriteWithAnEmptyOrOneElementBatchArrayIsReportedAsASingleWrite() {
        assertThat(StatementClassifier.firstWrite(INSERT, null, new Query[0], INSERT_SQL, new String[0]))
                .isEqualTo(-1);
        assertThat(StatementClassifier.firstWrite(INSERT, null, new Query[] {INSERT}, INSERT_SQL,
                new String[] {INSERT_SQL})).as("not as batch statement 0").isEqualTo(-1);
        assertThat(StatementClassifier.classify(INSERT, null, new Query[] {INSERT}, INSERT_SQL, null))
                .isEqualTo(WRITE);
        assertThat(StatementClassifier.firstWrite(SELECT, null, new Query[] {SELECT}, SELECT_SQL, null))
                .isEqualTo(-2);
    }

    @Test
    void plainSqlWithoutAQueryObjectIsClassifiedByItsText() {
        assertThat(StatementClassifier.firstWrite(null, null, new Query[0], "delete from t", new String[0]))
                .isEqualTo(-1);
        assertThat(StatementClassifier.firstWrite(null, null, null, "delete from t", null)).isEqualTo(-1);
        assertThat(StatementClassifier.classify(null, null, new Query[0], "delete from t", null)).isEqualTo(WRITE);
        assertThat(StatementClassifier.classify(null, null, new Query[0], "select 1", null)).isEqualTo(READ);
        assertThat(StatementClassifier.classify(null, null, null, "frobnicate", null)).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classify(null, null, new Query[0], "frobnicate", null)).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classify(null, null, null, null, null)).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.firstWrite(null, null, null, null, null)).isEqualTo(-2);
    }

    @Test
    void aOneStatementBatchWithoutAQueryIsABatchAndFallsBackToTheExecutionsSql() {
        Query plainDelete = DSL.query("delete from t");
        assertThat(StatementClassifier.firstWrite(null, null, new Query[] {plainDelete}, "delete from t", null))
                .isEqualTo(0);
        assertThat(StatementClassifier.firstWrite(null, null, new Query[] {INSERT}, null, null)).isEqualTo(0);
    }

    @Test
    void theStatementsOfALongerBatchAreNeverJudgedByTheExecutionsSingleSql() {
        Query[] plain = {DSL.query("select 1"), DSL.query("select 2")};
        assertThat(StatementClassifier.firstWrite(null, null, plain, "delete from t", null)).isEqualTo(-2);
        assertThat(StatementClassifier.classify(null, null, plain, "delete from t", null)).isEqualTo(UNKNOWN);
    }

    @Test
    void aBatchWithAShortSqlArrayJudgesTheRestByTheirQueryObjects() {
        Query[] batch = {SELECT, INSERT};
        assertThat(StatementClassifier.firstWrite(null, null, batch, null, new String[] {SELECT_SQL})).isEqualTo(1);
        assertThat(StatementClassifier.classify(null, null, batch, null, new String[] {SELECT_SQL}))
                .isEqualTo(WRITE);
        Query[] reads = {SELECT, CTX.select(DSL.inline(2))};
        assertThat(StatementClassifier.classify(null, null, reads, null, new String[] {SELECT_SQL})).isEqualTo(READ);
    }

    @Test
    void aBatchIsUnknownWhenAnyStatementIsUnknownAndNoneWrites() {
        Query[] batch = {SELECT, DSL.query("frobnicate")};
        assertThat(StatementClassifier.classify(null, null, batch, null, new String[] {SELECT_SQL, "frobnicate"}))
                .isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classify(null, null, batch, null, new String[] {SELECT_SQL, "select 2"}))
                .isEqualTo(READ);
    }

    @Test
    void aProcedureCallIsLeftToTheServerWhateverItsSql() {
        RefreshTotals call = new RefreshTotals();
        assertThat(StatementClassifier.firstWrite(null, call, null, "call refresh_totals()", null)).isEqualTo(-2);
        assertThat(StatementClassifier.classify(null, call, null, "call refresh_totals()", null)).isEqualTo(UNKNOWN);
    }

    @Test
    void anotherStatementWithoutRowsIsAWriteUnlessItsTextIsASessionCommand() {
        Query commit = CTX.commit();
        assertThat(StatementClassifier.classify(commit, "commit")).isEqualTo(READ);
        assertThat(StatementClassifier.classify(commit, "frobnicate")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classify(commit, null)).isEqualTo(WRITE);
    }

    @Test
    void aSelectWithoutItsSqlIsAReadAndPlainSqlWithoutItsSqlIsUnknown() {
        assertThat(StatementClassifier.classify(SELECT, null)).isEqualTo(READ);
        assertThat(StatementClassifier.classify(DSL.resultQuery("select 1"), null)).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classify(DSL.query("select 1"), null)).isEqualTo(UNKNOWN);
    }
}
