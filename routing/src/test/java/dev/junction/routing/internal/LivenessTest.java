package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aSocketTimeoutAnywhereInTheCauseChainIsAMissingAnswerHoweverQuicklyItCame() {
        SQLException readTimeout = new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketTimeoutException("Read timed out"));
        assertThat(Liveness.noAnswer(readTimeout, 1, TIMEOUT)).isTrue();
        SQLException wrapped = new SQLException("outer", new RuntimeException(new SocketTimeoutException("connect")));
        assertThat(Liveness.noAnswer(wrapped, 1, TIMEOUT)).isTrue();
    }

    @Test
    void aQuickRefusalOrServerErrorIsAnAnswerAndCountsAtOnce() {
        SQLException refused = new SQLException("Connection refused", "08001", new ConnectException("refused"));
        assertThat(Liveness.noAnswer(refused, TIMEOUT / 100, TIMEOUT)).isFalse();
        assertThat(Liveness.noAnswer(new SQLException("the database system is shutting down", "57P03"),
                TIMEOUT / 2, TIMEOUT)).isFalse();
    }

    @Test
    void aFailureWithoutCauseThatTookAboutTheWholeTimeoutIsAMissingAnswer() {
        // pgJDBC's loginTimeout: "Connection attempt timed out." (translated), SQLState 08001, no cause.
        SQLException loginTimeout = new SQLException("Connection attempt timed out.", "08001");
        assertThat(Liveness.noAnswer(loginTimeout, TIMEOUT, TIMEOUT)).isTrue();
        assertThat(Liveness.noAnswer(loginTimeout, TIMEOUT * 9 / 10, TIMEOUT)).isTrue();
        assertThat(Liveness.noAnswer(loginTimeout, TIMEOUT * 8 / 10, TIMEOUT)).isFalse();
    }

    @Test
    void aCheckWithoutAnswerIsInconclusiveOnlyWhileTheNodeAnsweredTheApplicationInTheCheckWindow() {
        long now = 1_000 * TIMEOUT;
        long windowStart = now - TIMEOUT;
        long recentConclusive = now - 2 * TIMEOUT;
        assertThat(Liveness.inconclusive(windowStart, windowStart, recentConclusive, now, TIMEOUT)).isTrue();
        assertThat(Liveness.inconclusive(now, windowStart, recentConclusive, now, TIMEOUT)).isTrue();
        assertThat(Liveness.inconclusive(windowStart - 1, windowStart, recentConclusive, now, TIMEOUT))
                .as("the last answer came before the check's window: a blackholed node answers nothing").isFalse();
    }

    @Test
    void inconclusiveChecksKeepAVerdictAtMostTenTimeoutsAfterTheLastConclusiveResult() {
        long now = 1_000 * TIMEOUT;
        long windowStart = now - TIMEOUT;
        long limit = Liveness.INCONCLUSIVE_LIMIT_TIMEOUTS * TIMEOUT;
        assertThat(Liveness.inconclusive(now, windowStart, now - limit + 1, now, TIMEOUT)).isTrue();
        assertThat(Liveness.inconclusive(now, windowStart, now - limit, now, TIMEOUT)).isFalse();
    }

    @Test
    void nanoTimeWrapAroundIsHandledByDifferencesNotComparisons() {
        long now = Long.MIN_VALUE + TIMEOUT / 2; // just after nanoTime wrapped
        long windowStart = now - TIMEOUT; // before the wrap: a large positive number
        assertThat(windowStart).isPositive();
        assertThat(Liveness.inconclusive(now, windowStart, now - TIMEOUT, now, TIMEOUT)).isTrue();
    }
}
