package dev.junction.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlShapesTest {

    @Test
    void placeholdersAndIdentifiersAreKept() {
        assertThat(SqlShapes.of("insert into \"public\".\"t\" (\"v\") values (?)"))
                .isEqualTo("insert into \"public\".\"t\" (\"v\") values (?)");
    }

    @Test
    void literalsAreReplacedByPlaceholders() {
        assertThat(SqlShapes.of("select * from t1 where name = 'bob''s' and id = 42 and x = E'\\'' and y = $$s$$"
                + " and z = $tag$secret$tag$ and w = 1.5e3"))
                .isEqualTo("select * from t1 where name = ? and id = ? and x = ? and y = ? and z = ? and w = ?");
    }

    @Test
    void commentsAreDroppedAndWhitespaceCollapsed() {
        assertThat(SqlShapes.of("  select /* secret 123 */ 1\n\n  from -- note\n t  "))
                .isEqualTo("select ? from t");
    }

    @Test
    void positionalParametersAndIdentifiersWithDigitsStay() {
        assertThat(SqlShapes.of("select c1 from t2 where a = $1")).isEqualTo("select c1 from t2 where a = $1");
    }

    @Test
    void longSqlIsTruncated() {
        String shape = SqlShapes.of("select " + "x, ".repeat(200) + "y from t");
        assertThat(shape).hasSize(SqlShapes.MAX_LENGTH + 3).endsWith("...");
    }

    @Test
    void anUnterminatedLiteralIsStillRedacted() {
        assertThat(SqlShapes.of("select 'secret")).isEqualTo("select ?");
    }
}
