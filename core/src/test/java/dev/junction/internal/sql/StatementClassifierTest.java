package dev.junction.internal.sql;

import static dev.junction.internal.sql.StatementClassifier.Kind.READ;
import static dev.junction.internal.sql.StatementClassifier.Kind.UNKNOWN;
import static dev.junction.internal.sql.StatementClassifier.Kind.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import dev.junction.internal.sql.StatementClassifier.Kind;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {
    private static final DSLContext DSL_CTX = DSL.using(SQLDialect.POSTGRES);
    private static final Table<Record> T = table(name("public", "t"));
    private static final Field<Integer> ID = field(name("id"), Integer.class);
    private static final Field<String> V = field(name("v"), String.class);

    private static Kind classify(Query query) {
        return StatementClassifier.classify(query, DSL_CTX.render(query));
    }

    // --- jOOQ query objects ---

    @Test
    void selectBuiltWithJooqIsARead() {
        assertThat(classify(DSL_CTX.select(ID, V).from(T).where(ID.eq(1)).orderBy(ID).limit(10))).isEqualTo(READ);
    }

    @Test
    void insertUpdateDeleteMergeAreWrites() {
        assertThat(classify(DSL_CTX.insertInto(T).columns(V).values("x"))).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.update(T).set(V, "y").where(ID.eq(1)))).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.deleteFrom(T).where(ID.eq(1)))).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.mergeInto(T).using(DSL.selectOne()).on(DSL.trueCondition())
                .whenMatchedThenUpdate().set(V, "z"))).isEqualTo(WRITE);
    }

    @Test
    void insertReturningIsAWriteThoughJooqReportsItAsARead() {
        Query q = DSL_CTX.insertInto(T).columns(V).values("x").returning(ID);
        assertThat(classify(q)).isEqualTo(WRITE);
        // Even without the rendered SQL: the object alone decides.
        assertThat(StatementClassifier.classify(q, null)).isEqualTo(WRITE);
    }

    @Test
    void updateAndDeleteReturningAreWrites() {
        assertThat(classify(DSL_CTX.update(T).set(V, "y").returning(ID))).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.deleteFrom(T).returning(ID))).isEqualTo(WRITE);
    }

    @Test
    void selectForUpdateAndOtherLockingClausesAreWrites() {
        assertThat(classify(DSL_CTX.select(ID).from(T).forUpdate())).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.select(ID).from(T).forNoKeyUpdate())).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.select(ID).from(T).forShare())).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.select(ID).from(T).forKeyShare())).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.select(ID).from(T).forUpdate().skipLocked())).isEqualTo(WRITE);
    }

    @Test
    void ddlIsAWrite() {
        assertThat(classify(DSL_CTX.createTable("x").column("id", org.jooq.impl.SQLDataType.INTEGER)))
                .isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.dropTable("x"))).isEqualTo(WRITE);
        assertThat(classify(DSL_CTX.truncate(T))).isEqualTo(WRITE);
    }

    @Test
    void selectWithNextvalIsAReadForTheClassifierTheServerGuardsIt() {
        assertThat(classify(DSL_CTX.select(DSL.field("nextval('s')", Long.class)))).isEqualTo(READ);
        assertThat(StatementClassifier.classifySql("select nextval('s')")).isEqualTo(READ);
    }

    @Test
    void plainSqlIsClassifiedByItsText() {
        assertThat(classify(DSL.query("insert into t (v) values (?)", "x"))).isEqualTo(WRITE);
        assertThat(classify(DSL.resultQuery("insert into t (v) values ('x') returning id"))).isEqualTo(WRITE);
        assertThat(classify(DSL.resultQuery("select * from t"))).isEqualTo(READ);
        assertThat(classify(DSL.query("select pg_sleep(0)"))).isEqualTo(READ);
        assertThat(classify(DSL.resultQuery("select * from t for update"))).isEqualTo(WRITE);
    }

    @Test
    void unknownPlainSqlIsLeftToTheServer() {
        assertThat(classify(DSL.query("frobnicate everything"))).isEqualTo(UNKNOWN);
        assertThat(classify(DSL.resultQuery("fetch all from c"))).isEqualTo(UNKNOWN);
    }

    @Test
    void batchesContainingAWriteAreWrites() {
        Query select = DSL_CTX.selectOne();
        Query insert = DSL_CTX.insertInto(T).columns(V).values("x");
        Query[] batch = {select, insert};
        String[] sql = {DSL_CTX.render(select), DSL_CTX.renderInlined(insert)};
        assertThat(StatementClassifier.classify(null, null, batch, null, sql)).isEqualTo(WRITE);
        assertThat(StatementClassifier.firstWrite(null, null, batch, null, sql)).isEqualTo(1);
        Query[] reads = {select, select};
        assertThat(StatementClassifier.classify(null, null, reads, null, null)).isEqualTo(READ);
    }

    @Test
    void batchOfPlainSqlStringsIsClassifiedByText() {
        Query[] batch = {DSL.query("select 1"), DSL.query("delete from t")};
        String[] sql = {"select 1", "delete from t"};
        assertThat(StatementClassifier.firstWrite(null, null, batch, null, sql)).isEqualTo(1);
    }

    @Test
    void singleQueryExecutionIsClassifiedFromTheQueryNotTheSqlAlone() {
        Query insert = DSL_CTX.insertInto(T).columns(V).values("x").returning(ID);
        assertThat(StatementClassifier.classify(insert, null, null, DSL_CTX.render(insert), null)).isEqualTo(WRITE);
        assertThat(StatementClassifier.firstWrite(insert, null, null, DSL_CTX.render(insert), null)).isEqualTo(-1);
        Query select = DSL_CTX.selectOne();
        assertThat(StatementClassifier.firstWrite(select, null, null, DSL_CTX.render(select), null)).isEqualTo(-2);
    }

    // --- SQL text ---

    @ParameterizedTest
    @ValueSource(strings = {"insert into t values (1)", "UPDATE t SET v = 1", "delete from t", "merge into t using s on"
            + " true when matched then delete", "create table x (id int)", "alter table t add column c int",
            "drop table t", "truncate t", "grant select on t to u", "revoke select on t from u", "copy t from stdin",
            "vacuum t", "reindex table t", "cluster t", "lock table t", "comment on table t is 'x'", "call p()",
            "do $$ begin perform 1; end $$", "refresh materialized view m", "  \n\tInSeRt into t default values"})
    void writeKeywordsAreWrites(String sql) {
        assertThat(StatementClassifier.classifySql(sql)).isEqualTo(WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select 1", "SELECT * FROM t WHERE v = 'for update'", "values (1), (2)", "table t",
            "with x as (select 1) select * from x", "show server_version", "(select 1) union (select 2)",
            "select \"for\" from t", "select substring(v from 1 for 2) from t",
            "select * from t -- for update\n", "select * from t /* for update */",
            "select $$for update$$", "select * from t where v = E'it\\'s for update'", "explain select * from t",
            "explain insert into t values (1)", "select 1 -- into x"})
    void readsAreReads(String sql) {
        assertThat(StatementClassifier.classifySql(sql)).isEqualTo(READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select * from t for update", "select * from t FOR   NO KEY\nUPDATE",
            "select * from t for share", "select * from t for key share", "SELECT * FROM t FOR UPDATE SKIP LOCKED",
            "select * from t for update of t nowait", "select * from (select * from t for update) s"})
    void lockingSelectsAreWrites(String sql) {
        assertThat(StatementClassifier.classifySql(sql)).isEqualTo(WRITE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"with x as (insert into t values (1) returning id) select * from x",
            "WITH x AS MATERIALIZED (UPDATE t SET v = 1 RETURNING id) SELECT * FROM x",
            "with a as (select 1), b as (delete from t returning *) select * from b",
            "with x as (select 1) insert into t select * from x",
            "with x as not materialized ( merge into t using s on true when matched then delete ) select 1"})
    void writableCtesAreWrites(String sql) {
        assertThat(StatementClassifier.classifySql(sql)).isEqualTo(WRITE);
    }

    @Test
    void leadingCommentsWhitespaceAndParenthesesAreSkipped() {
        assertThat(StatementClassifier.classifySql("-- a comment\n/* another /* nested */ one */ ( (insert into t"
                + " values (1)))")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classifySql("/* insert */ select 1")).isEqualTo(READ);
    }

    @Test
    void lowercaseAndMixedCaseKeywordsAreRecognised() {
        assertThat(StatementClassifier.classifySql("delete from t")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classifySql("Select * From t For Update")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classifySql("wItH x As (dElEtE from t) select 1")).isEqualTo(WRITE);
    }

    @Test
    void selectIntoCreatesATable() {
        assertThat(StatementClassifier.classifySql("select * into new_t from t")).isEqualTo(WRITE);
    }

    @Test
    void explainAnalyzeOfAWriteIsAWrite() {
        assertThat(StatementClassifier.classifySql("explain analyze insert into t values (1)")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classifySql("explain (analyze, buffers) delete from t")).isEqualTo(WRITE);
        assertThat(StatementClassifier.classifySql("explain analyze select * from t")).isEqualTo(READ);
    }

    @Test
    void sessionCommandsAreNotWritesAndUnknownTextIsUnknown() {
        assertThat(StatementClassifier.classifySql("set statement_timeout = 1000")).isEqualTo(READ);
        assertThat(StatementClassifier.classifySql("frobnicate")).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classifySql("")).isEqualTo(UNKNOWN);
        assertThat(StatementClassifier.classifySql("-- only a comment")).isEqualTo(UNKNOWN);
    }

    @Test
    void writeKeywordsInsideStringsOrIdentifiersDoNotCount() {
        assertThat(StatementClassifier.classifySql("select 'insert into t' as \"delete\"")).isEqualTo(READ);
        assertThat(StatementClassifier.classifySql("select * from \"t(\" where v = '(delete'")).isEqualTo(READ);
        assertThat(StatementClassifier.classifySql("select updated_at, inserted from t")).isEqualTo(READ);
    }
}
