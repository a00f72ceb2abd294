package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether a standby follows the write target's history, from one check (issue 20). */
class LineageTest {

    private static Probe.Observation standby(Integer timeline, boolean receiving) {
        return new Probe.Observation(true, 10L, null, timeline, receiving);
    }

    @Test
    void aStandbyOnThePrimarysTimelineFollowsItAndIsConfirmed() {
        assertThat(Lineage.standby(standby(2, true), 2, "p", false, null))
                .isEqualTo(new Lineage.Judgement(2, null, true, false));
    }

    @Test
    void aStandbyOnAnotherTimelineIsOffHistoryWithTheWordsOfTheMessage() {
        assertThat(Lineage.standby(standby(1, true), 2, "p", true, 1).offHistory()).isEqualTo("on timeline 1 while"
                + " the primary 'p' is on timeline 2: it follows another history; re-point it at the primary"
                + " (primary_conninfo) or rebuild it");
    }

    @Test
    void aStreamingStandbyWhoseTimelineIsHiddenServesPlainReadsButNoTokens() {
        assertThat(Lineage.standby(standby(null, true), 2, "p", false, null))
                .isEqualTo(new Lineage.Judgement(null, null, true, true));
    }

    @Test
    void aStandbyWithoutAWalReceiverKeepsItsTimelineOnlyWhileNothingTookOverSinceItWasSeen() {
        assertThat(Lineage.standby(standby(null, false), 2, "p", true, 2))
                .isEqualTo(new Lineage.Judgement(2, null, false, false));
        assertThat(Lineage.standby(standby(null, false), 3, "p", false, 2).offHistory())
                .isEqualTo("not seen following the primary 'p' (timeline 3) since it took over: no WAL receiver"
                        + " runs; re-point it at the primary (primary_conninfo) or rebuild it");
    }
}
