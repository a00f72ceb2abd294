package dev.junction.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's command line without a database: usage errors exit 2 and say what is wrong. */
class DoctorTest {
    @TempDir
    Path dir;

    @Test
    void withoutAFileItPrintsUsageAndExitsTwo() {
        DoctorRuns.Run run = DoctorRuns.run();
        assertThat(run.exitCode()).isEqualTo(Doctor.USAGE);
        assertThat(run.err()).startsWith("doctor: no configuration file given\nusage: doctor <junction.yaml>");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badOptionsAreNamed() {
        assertThat(DoctorRuns.run("x.yaml", "--frobnicate").err()).startsWith("doctor: unknown argument"
                + " '--frobnicate'");
        assertThat(DoctorRuns.run("x.yaml", "--long-running", "soon").err())
                .startsWith("doctor: --long-running must be a duration such as 30s or 5m, but was 'soon'");
        assertThat(DoctorRuns.run("x.yaml", "--top=-1").err())
                .startsWith("doctor: --top must be a whole number >= 0, but was '-1'");
        assertThat(DoctorRuns.run("x.yaml", "--top").exitCode()).isEqualTo(Doctor.USAGE);
    }

    @Test
    void aMissingOrInvalidFileExitsTwoWithTheLoadersMessage() {
        DoctorRuns.Run missing = DoctorRuns.run(dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(Doctor.USAGE);
        assertThat(missing.err()).contains("nope.yaml' does not exist or is not a file");

        Path file = DoctorRuns.write(dir, "junction.yaml", "credentials:\n  user: app\nnodes: []\nreplicaLag:\n"
                + "  max: soon\n");
        DoctorRuns.Run invalid = DoctorRuns.run(file.toString());
        assertThat(invalid.exitCode()).isEqualTo(Doctor.USAGE);
        assertThat(invalid.err()).startsWith("doctor: ").contains("replicaLag.max");
    }

    @Test
    void helpExitsZero() {
        DoctorRuns.Run run = DoctorRuns.run("--help");
        assertThat(run.exitCode()).isEqualTo(Doctor.OK);
        assertThat(run.out()).contains("Exit codes: 0 no critical finding, 1 critical findings, 2 could not run.");
    }
}
