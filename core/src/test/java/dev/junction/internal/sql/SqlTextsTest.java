package dev.junction.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextsTest {

    @Test
    void aCachedTextGivesTheSameShapeAndKindAsLexingIt() {
        String write = "with moved as (delete from job where id = 7 returning *) select * from moved";
        String read = "select label from item where id = 42 and note = 'x'";
        for (int i = 0; i < 2; i++) { // the second round is answered from the cache
            assertThat(StatementClassifier.classifySql(write)).isEqualTo(StatementClassifier.Kind.WRITE);
            assertThat(StatementClassifier.classifySql(read)).isEqualTo(StatementClassifier.Kind.READ);
            assertThat(SqlTexts.shape(read)).isEqualTo(SqlShapes.of(read))
                    .isEqualTo("select label from item where id = ? and note = ?");
        }
        assertThat(StatementClassifier.classifySql("explain analyze delete from job"))
                .isEqualTo(StatementClassifier.Kind.WRITE);
    }

    @Test
    void theCacheStaysBoundedWhenEveryStatementInlinesItsValues() {
        for (int i = 0; i < SqlTexts.MAX_ENTRIES * 3; i++) {
            assertThat(SqlTexts.shape("select * from item where id = " + i))
                    .isEqualTo("select * from item where id = ?");
        }
        assertThat(SqlTexts.size()).isLessThanOrEqualTo(SqlTexts.MAX_ENTRIES);

        String huge = "select 1 where 1 in (" + "1, ".repeat(SqlTexts.MAX_CACHED_LENGTH) + "1)";
        int before = SqlTexts.size();
        assertThat(StatementClassifier.classifySql(huge)).isEqualTo(StatementClassifier.Kind.READ);
        assertThat(SqlTexts.size()).as("texts longer than the limit are not kept").isEqualTo(before);
    }
}
