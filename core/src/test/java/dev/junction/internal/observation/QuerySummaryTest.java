package dev.junction.internal.observation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 22: db.operation.name and db.query.summary from a statement's shape. */
class QuerySummaryTest {

    @Test
    void theSummaryIsTheOperationAndTheTablesNamed() {
        assertThat(QuerySummary.compute("select m.id, r.name from member m join role r on r.member_id = m.id where"
                + " m.id = ?")).isEqualTo(new QuerySummary("SELECT", "SELECT member role"));
        assertThat(QuerySummary.compute("insert into app.audit (id) values (?)"))
                .isEqualTo(new QuerySummary("INSERT", "INSERT app.audit"));
        assertThat(QuerySummary.compute("select 1")).isEqualTo(new QuerySummary("SELECT", "SELECT"));
    }

    @Test
    void aBatchIsNamedAsOne() {
        assertThat(QuerySummary.compute("batch of 3: insert into member values (?, ?)"))
                .isEqualTo(new QuerySummary("BATCH INSERT", "BATCH INSERT member"));
    }

    @Test
    void atMostThreeTablesAndUnknownKeywordsAreOther() {
        assertThat(QuerySummary.compute("select * from a, b, c, d").summary()).isEqualTo("SELECT a b c");
        assertThat(QuerySummary.compute("vacuum member").operation()).isEqualTo("OTHER");
    }

    @Test
    void literalsInTheShapeNeverReachTheSummary() {
        assertThat(QuerySummary.compute("select * from member where label = 'secret-9' and id = 42").summary())
                .isEqualTo("SELECT member");
    }
}
