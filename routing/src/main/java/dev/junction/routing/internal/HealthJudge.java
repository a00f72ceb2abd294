package dev.junction.routing.internal;

import dev.junction.spi.Role;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one node's check into its {@link NodeHealth}: down with the check's error, or up in the role it answered in;
 * for a standby also its lag against the write target ({@link WriteEpoch#history()}), whether that lag excludes it
 * ({@link LagPolicy}), and whether it is on the target's history ({@link Lineage}), remembering which standbys were
 * seen following the target in its epoch. Free of I/O; not thread-safe: {@link HealthMonitor} calls it under its lock.
 */
final class HealthJudge {
    private final LagPolicy lagPolicy;
    private final WriteEpoch epoch;
    private final MonitorLog logs;
    /** The epoch in which each standby was last seen following the write target. */
    private final Map<NodeRuntime, Long> confirmedEpoch = new HashMap<>();
    /** The timeline each standby was last confirmed on. */
    private final Map<NodeRuntime, Integer> lastTimeline = new HashMap<>();

    HealthJudge(LagPolicy lagPolicy, WriteEpoch epoch, MonitorLog logs) {
        this.lagPolicy = lagPolicy;
        this.epoch = epoch;
        this.logs = logs;
    }

    NodeHealth judge(NodeRuntime node, NodeWatch.Check check) {
        NodeHealth previous = node.health();
        Probe.Observation o = check.observation();
        if (o == null) {
            return NodeHealth.down(previous, check.at(), Objects.requireNonNull(check.error()));
        }
        Role observed = o.inRecovery() ? Role.REPLICA : Role.PRIMARY;
        Long lagBytes = null;
        Duration lag = null;
        boolean excluded = false;
        Integer timeline = o.timeline();
        String offHistory = null;
        if (observed == Role.REPLICA) {
            if (o.lsn() != null) {
                lagBytes = epoch.history().bytesBehind(o.lsn());
                lag = epoch.history().lag(o.lsn(), check.nanos());
            }
            excluded = lagPolicy.excluded(previous.lagExcluded(), lagBytes, lag);
            Lineage.Judgement j = Lineage.standby(o, epoch.timeline(), epoch.targetName(),
                    confirmedEpoch.getOrDefault(node, 0L) == epoch.epoch(), lastTimeline.get(node));
            if (j.confirms()) {
                confirmedEpoch.put(node, epoch.epoch());
                if (j.timeline() != null) {
                    lastTimeline.put(node, j.timeline());
                }
            }
            if (j.hidden()) {
                logs.hiddenTimelineOnce(node);
            }
            timeline = j.timeline();
            offHistory = j.offHistory();
        }
        Duration replayAge = o.replayAgeMillis() == null ? null : Duration.ofMillis(o.replayAgeMillis());
        return new NodeHealth(true, true, observed, o.lsn(), lagBytes, lag, replayAge, excluded, check.at(),
                null, timeline, offHistory);
    }
}
