package dev.junction.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The up-to-date record: a run is skipped only after a complete run with the same fingerprint. */
class OutputStampTest {
    private static final String FINGERPRINT = "a".repeat(64);

    @Test
    void aCompleteRunWithTheSameFingerprintIsUpToDateAndAnyOtherIsNot(@TempDir Path dir) throws IOException {
        OutputStamp stamp = new OutputStamp(dir.resolve("out"), ".junction-codegen", "com.example.db");
        stamp.clear();
        Files.createDirectories(dir.resolve("out/com/example/db"));
        Files.writeString(dir.resolve("out/com/example/db/Users.java"), "class Users {}");
        stamp.write(FINGERPRINT);
        assertThat(stamp.upToDate(FINGERPRINT)).isTrue();
        assertThat(stamp.upToDate("b".repeat(64))).as("another migration or option").isFalse();
        assertThat(stamp.sourceFiles()).isEqualTo(1);
    }

    @Test
    void aRunThatStartsGeneratingIsNoLongerUpToDateUntilItCompletes(@TempDir Path dir) throws IOException {
        OutputStamp stamp = new OutputStamp(dir, ".junction-codegen", "com.example.db");
        Files.createDirectories(dir.resolve("com/example/db"));
        stamp.write(FINGERPRINT);
        // A forced or changed run clears the record first: if it is interrupted, the next run must not skip.
        stamp.clear();
        assertThat(stamp.upToDate(FINGERPRINT)).isFalse();
    }

    @Test
    void theRecordAloneIsNotEnoughWhenTheGeneratedPackageIsGone(@TempDir Path dir) {
        OutputStamp stamp = new OutputStamp(dir, ".junction-codegen", "com.example.db");
        stamp.clear();
        stamp.write(FINGERPRINT);
        assertThat(stamp.upToDate(FINGERPRINT)).as("someone deleted the sources").isFalse();
        assertThat(stamp.sourceFiles()).isZero();
    }
}
