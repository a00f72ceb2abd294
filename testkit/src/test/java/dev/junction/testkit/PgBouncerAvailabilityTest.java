package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Under CI a missing PgBouncer fails the PgBouncer tests; on a developer's machine it skips them (issue 24). */
class PgBouncerAvailabilityTest {

    @Test
    void underCiAMissingPgBouncerIsAFailureWithTheReason() {
        assertThatThrownBy(() -> PgBouncer.assumeAvailable(false, true))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("PgBouncer is not installed")
                .hasMessageContaining("CI=true, so the PgBouncer tests must run");
    }

    @Test
    void onADevelopersMachineAMissingPgBouncerSkipsWithTheReason() {
        assertThatThrownBy(() -> PgBouncer.assumeAvailable(false, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("PgBouncer is not installed")
                .hasMessageContaining("install the Debian package 'pgbouncer'");
    }

    @Test
    void anInstalledPgBouncerNeitherFailsNorSkips() {
        assertThatCode(() -> PgBouncer.assumeAvailable(true, true)).doesNotThrowAnyException();
        assertThatCode(() -> PgBouncer.assumeAvailable(true, false)).doesNotThrowAnyException();
    }
}
