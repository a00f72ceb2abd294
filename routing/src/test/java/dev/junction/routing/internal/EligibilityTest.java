package dev.junction.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConsistencyToken;
import dev.junction.NoEligibleReplicaException.Reason;
import dev.junction.NoEligibleReplicaException.Refusal;
import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Which node may serve a read or take a write, from its last observation alone (issue 17). */
class EligibilityTest {
    private static final LagPolicy LAG = new LagPolicy(Duration.ofSeconds(1), null, 0.5);

    record Node(String name, NodeHealth health, boolean breakerBlocks, String breakerDescription, int outstanding)
            implements Candidate {
    }

    private static NodeHealth health(boolean up, @Nullable Role role, @Nullable Long lsn, boolean lagExcluded,
                                     @Nullable Integer timeline, @Nullable String offHistory) {
        return new NodeHealth(true, up, role, lsn, 4_096L, Duration.ofSeconds(3), null, lagExcluded, Instant.now(),
                up ? null : "Connection refused", timeline, offHistory);
    }

    private static NodeHealth standby() {
        return health(true, Role.REPLICA, 2_000L, false, 1, null);
    }

    private static Node node(NodeHealth health) {
        return new Node("r1", health, false, "circuit breaker OPEN (100% ...)", 0);
    }

    private static @Nullable Refusal refusal(Node node) {
        return Eligibility.replica(node, Set.of(), LAG);
    }

    @Test
    void aCaughtUpStandbyWithItsBreakerClosedIsEligible() {
        assertThat(refusal(node(standby()))).isNull();
    }

    @Test
    void eachExclusionIsReportedWithItsReasonAndTheWordsOfTheMessage() {
        assertThat(Eligibility.replica(node(standby()), Set.of("r1"), LAG))
                .isEqualTo(new Refusal("r1", Reason.EXCLUDED, "excluded by the request (a retry after it failed there)"));
        assertThat(refusal(node(NodeHealth.UNKNOWN)))
                .isEqualTo(new Refusal("r1", Reason.NOT_CHECKED, "not checked yet"));
        assertThat(refusal(node(health(false, Role.REPLICA, 2_000L, false, 1, null))))
                .isEqualTo(new Refusal("r1", Reason.DOWN, "down (Connection refused)"));
        assertThat(refusal(node(health(true, Role.PRIMARY, 2_000L, false, 1, null))))
                .isEqualTo(new Refusal("r1", Reason.WRONG_ROLE,
                        "not in recovery (pg_is_in_recovery() = false): it is a primary, not used as a replica"));
        assertThat(refusal(node(health(true, Role.REPLICA, 2_000L, false, 2, "on timeline 2 while ..."))))
                .isEqualTo(new Refusal("r1", Reason.OFF_HISTORY, "on timeline 2 while ..."));
        assertThat(refusal(new Node("r1", standby(), true, "circuit breaker OPEN (100% ...)", 0)))
                .isEqualTo(new Refusal("r1", Reason.BREAKER_OPEN, "circuit breaker OPEN (100% ...)"));
        assertThat(refusal(node(health(true, Role.REPLICA, 2_000L, true, 1, null))))
                .isEqualTo(new Refusal("r1", Reason.LAGGING, "lagging 4096 bytes / 3s behind the primary ("
                        + LAG.describeLimits() + ")"));
    }

    @Test
    void theFirstReasonInTheFixedOrderIsReported() {
        NodeHealth downAndLagging = health(false, Role.REPLICA, 2_000L, true, 1, null);
        assertThat(Eligibility.replica(node(downAndLagging), Set.of("r1"), LAG)).extracting(Refusal::reason)
                .isEqualTo(Reason.EXCLUDED);
        assertThat(refusal(node(downAndLagging))).extracting(Refusal::reason).isEqualTo(Reason.DOWN);
        assertThat(refusal(new Node("r1", health(true, Role.REPLICA, 2_000L, true, 1, null), true, "open", 0)))
                .extracting(Refusal::reason).isEqualTo(Reason.BREAKER_OPEN);
    }

    @Test
    void aStandbyCanBeKnownToHoldATokenOnlyOnItsTimelineAndAtOrPastItsPosition() {
        ConsistencyToken token = ConsistencyToken.of(42, 1, 2_000, Instant.now());
        assertThat(Eligibility.token(node(standby()), token)).isNull();
        assertThat(Eligibility.token(node(health(true, Role.REPLICA, 3_000L, false, 1, null)), token)).isNull();
        assertThat(Eligibility.token(node(health(true, Role.REPLICA, 1_999L, false, 1, null)), token))
                .isEqualTo(new Refusal("r1", Reason.BEHIND_TOKEN,
                        "last seen at replay position 0/7CF, before the token's " + token.lsnText()));
        assertThat(Eligibility.token(node(health(true, Role.REPLICA, null, false, 1, null)), token))
                .extracting(Refusal::reason).isEqualTo(Reason.BEHIND_TOKEN);
        assertThat(Eligibility.token(node(health(true, Role.REPLICA, 3_000L, false, 2, null)), token))
                .isEqualTo(new Refusal("r1", Reason.TOKEN_TIMELINE, "on timeline 2, not the token's timeline 1"));
        assertThat(Eligibility.token(node(health(true, Role.REPLICA, 3_000L, false, null, null)), token))
                .isEqualTo(new Refusal("r1", Reason.TOKEN_TIMELINE,
                        "its timeline is unknown, not the token's timeline 1"));
    }

    @Test
    void thePrimaryTakesWorkUnlessDownInRecoveryOrBehindAnOpenBreaker() {
        assertThat(Eligibility.primary(node(health(true, Role.PRIMARY, 2_000L, false, 1, null)))).isNull();
        assertThat(Eligibility.primary(node(NodeHealth.UNKNOWN))).as("not checked yet: writes may try").isNull();
        assertThat(Eligibility.primary(node(health(false, Role.PRIMARY, 2_000L, false, 1, null))))
                .isEqualTo("is down (Connection refused)");
        assertThat(Eligibility.primary(node(standby())))
                .isEqualTo("is in recovery (pg_is_in_recovery() = true): a standby cannot take writes");
        assertThat(Eligibility.primary(new Node("p", health(true, Role.PRIMARY, 2_000L, false, 1, null), true,
                "circuit breaker OPEN (x)", 0))).isEqualTo("has its circuit breaker OPEN (x)");
    }
}
