package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The public face of SQL shapes: literals gone, parameters and identifiers kept, truncation as documented. */
class SqlShapeTest {
    @Test
    void literalsBecomeQuestionMarksAndParametersStay() {
        assertThat(SqlShape.of("select * /* why */ from t\n where a = 'x''y' and b = 42 and c = $1 and d = ?"))
                .isEqualTo("select * from t where a = ? and b = ? and c = $1 and d = ?");
    }

    @Test
    void shapesAreTruncatedToTheDefaultOrTheGivenLength() {
        String sql = "select " + "x, ".repeat(100) + "y from t";
        assertThat(SqlShape.of(sql)).hasSize(SqlShape.DEFAULT_MAX_LENGTH + 3).endsWith("...");
        assertThat(SqlShape.of("select 1 from t", 6)).isEqualTo("select...");
    }

    @Test
    void aMaxLengthBelowOneIsRefused() {
        assertThatThrownBy(() -> SqlShape.of("select 1", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be at least 1, but was 0");
    }
}
