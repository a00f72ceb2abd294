package dev.junction.routing.internal;

import dev.junction.spi.Role;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's log lines: each transition (down, up, role, history, lag exclusion, write target, split brain) is
 * logged once when it happens, not on every check, and the hidden-timeline warning once per monitor. Logs under
 * {@link HealthMonitor}'s logger name, so log configurations keep working. Called only under the monitor's
 * decision lock.
 */
final class MonitorLog {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final AtomicLong splitBrainEpisodes = new AtomicLong();
    private boolean inSplitBrain;
    private boolean hiddenTimelineWarned;

    /** Times two or more nodes started to claim the primary role at once. */
    long splitBrainEpisodes() {
        return splitBrainEpisodes.get();
    }

    void targetChanged(NodeRuntime target, @Nullable Integer timeline, NodeRuntime was,
                       @Nullable Integer wasTimeline) {
        log.warn("write target changed: '{}' (timeline {}) is the primary now, was '{}' (timeline {}); writes go to"
                + " '{}'", target.name(), timeline, was.name(), wasTimeline, target.name());
    }

    /** The failover fence ended the connections lent from the previous write target. */
    void fenced(NodeRuntime old, int aborted) {
        if (aborted > 0) {
            log.warn("failover fence: aborted {} connection(s) lent from '{}', the previous primary; their units fail"
                    + " with a connection error now instead of waiting for socketTimeout", aborted, old.name());
        }
    }

    /** A replica became slow next to its peers, or recovered. */
    void slowChanged(NodeRuntime node, boolean slow, long medianNanos, double factor) {
        if (slow) {
            log.warn("replica '{}' is slow: its checks take {} (median over {}), over {}x its peers'; reads go to the"
                            + " other replicas while it is", node.name(), SlowReplicas.millis(medianNanos),
                    Durations.format(node.responseTimes().window()), factor);
        } else {
            log.info("replica '{}' is no longer slow (median {}); it serves reads again", node.name(),
                    SlowReplicas.millis(medianNanos));
        }
    }

    void primaryFound(NodeRuntime target, @Nullable Integer timeline) {
        log.info("primary found: '{}' (timeline {})", target.name(), timeline);
    }

    /** With discovered roles: writes became refused, or accepted again. */
    void writesRefusedOrBack(PrimaryElection.Verdict<NodeRuntime> before, PrimaryElection.Verdict<NodeRuntime> now) {
        if ((before.refusal() == null) == (now.refusal() == null)) {
            return;
        }
        if (now.refusal() != null && now.claimants().size() < 2) {
            log.warn("writes are refused: {}", now.refusal());
        } else if (now.refusal() == null && now.target() != null) {
            log.info("writes go to '{}' again", now.target().name());
        }
    }

    void hiddenTimelineOnce(NodeRuntime node) {
        if (!hiddenTimelineWarned) {
            hiddenTimelineWarned = true;
            log.warn("standby '{}' does not show the monitor its WAL receiver's timeline (pg_stat_wal_receiver needs"
                    + " pg_read_all_stats); reads after a consistency token therefore go to the primary. Grant"
                    + " pg_monitor (or pg_read_all_stats) to the user Junction connects as (logged once)", node.name());
        }
    }

    void splitBrain(List<PrimaryElection.Seen<NodeRuntime>> claimants, PrimaryElection.Verdict<NodeRuntime> verdict) {
        if (claimants.size() >= 2 && !inSplitBrain) {
            inSplitBrain = true;
            splitBrainEpisodes.incrementAndGet();
            if (verdict.acceptsWrites()) {
                log.error("split brain: {} claim the primary role (pg_is_in_recovery() = false); writes go only to"
                        + " '{}', on the newest timeline (splitBrain: newest-timeline)",
                        PrimaryElection.describe(claimants), Objects.requireNonNull(verdict.target()).name());
            } else {
                log.error("{}", verdict.refusal());
            }
        } else if (claimants.size() < 2 && inSplitBrain) {
            inSplitBrain = false;
            log.info("split brain over: {}", claimants.isEmpty() ? "no node claims the primary role"
                    : "only '" + claimants.get(0).name() + "' claims the primary role");
        }
    }

    void transitions(NodeRuntime node, NodeHealth before, NodeHealth after, boolean isTarget, String targetName) {
        String name = node.name();
        if (before.checked() && before.up() && !after.up()) {
            log.warn("node '{}' is down: {}; it gets no new work until a check succeeds", name, after.lastError());
        } else if (!before.up() && after.up() && before.checked()) {
            log.info("node '{}' is up again", name);
        }
        roleTransitions(node, before, after);
        if (after.up() && after.offHistory() != null && !Objects.equals(before.offHistory(), after.offHistory())
                && (before.offHistory() == null || !before.up())) {
            log.warn("standby '{}' gets no reads: {}", name, after.offHistory());
        } else if (after.up() && after.offHistory() == null && before.offHistory() != null) {
            log.info("standby '{}' follows the primary '{}' again and is used for reads", name, targetName);
        }
        if (!before.lagExcluded() && after.lagExcluded()) {
            log.warn("replica '{}' excluded for lag: {} bytes, {} behind the primary", name, after.lagBytes(),
                    after.lag() == null ? "?" : Durations.format(after.lag()));
        } else if (before.lagExcluded() && !after.lagExcluded() && after.up() && !isTarget) {
            log.info("replica '{}' caught up and is used again ({} bytes behind)", name, after.lagBytes());
        }
    }

    private static void roleTransitions(NodeRuntime node, NodeHealth before, NodeHealth after) {
        String name = node.name();
        Role configured = node.config().role();
        @Nullable Role seenBefore = before.up() ? before.observedRole() : null;
        if (configured != null) {
            if (after.up() && after.observedRole() != configured && seenBefore != after.observedRole()) {
                if (configured == Role.REPLICA) {
                    log.warn("node '{}' is configured as a replica but is not in recovery (pg_is_in_recovery() ="
                            + " false): it is a primary; no reads are sent to it as a replica until it is a standby"
                            + " again", name);
                } else {
                    log.warn("node '{}' is configured as the primary but is in recovery (a standby); writes are"
                            + " refused until it is a primary again", name);
                }
            } else if (after.up() && after.observedRole() == configured && seenBefore != null
                    && seenBefore != configured) {
                log.info("node '{}' is in its configured role ({}) again", name, configured.tag());
            }
        } else if (after.up() && seenBefore != null && after.observedRole() != seenBefore) {
            log.info("node '{}' is {} now", name, after.observedRole() == Role.PRIMARY
                    ? "out of recovery (pg_is_in_recovery() = false)" : "in recovery (a standby)");
        }
    }
}
