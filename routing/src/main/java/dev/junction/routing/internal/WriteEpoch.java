package dev.junction.routing.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The write target the monitor follows and its epoch: the node writes go to, its timeline, a number that grows each
 * time either changes (a failover followed), and the target's recent insert positions ({@link PrimaryHistory}) that
 * replicas' lag is measured against. When the target moves to another node, the old one is handed to the failover
 * fence. Not thread-safe: {@link HealthMonitor} calls it under its lock.
 */
final class WriteEpoch {
    private final boolean discover;
    private final PrimaryHistory history;
    private final MonitorLog logs;
    /** The failover fence, given the node that stopped being the write target. */
    private final Consumer<NodeRuntime> fence;
    private final AtomicLong changes = new AtomicLong();
    private @Nullable NodeRuntime target;
    private @Nullable Integer timeline;
    private long epoch;

    /**
     * @param discover true when the primary is found by probing (its first sighting is logged)
     * @param fence    what to do with a node that stopped being the write target
     */
    WriteEpoch(boolean discover, PrimaryHistory history, MonitorLog logs, Consumer<NodeRuntime> fence) {
        this.discover = discover;
        this.history = history;
        this.logs = logs;
        this.fence = fence;
    }

    /**
     * The target answered as a primary and writes may go to it: a new epoch when it or its timeline changed.
     *
     * @param fresh true when this is the target's own result (its position is sampled only then)
     */
    void follow(NodeRuntime next, Probe.Observation seen, long nanos, boolean fresh) {
        Integer tl = seen.timeline();
        boolean changed = target != null && (target != next || !Objects.equals(timeline, tl));
        if (!fresh && !changed && target != null) {
            return; // another node's result: the target's position was sampled when its own result came
        }
        if (changed) {
            epoch++;
            changes.incrementAndGet();
            history.clear();
            logs.targetChanged(next, tl, target, timeline);
            if (target != next) {
                fence.accept(target);
            }
        } else if (target == null && discover) {
            logs.primaryFound(next, tl);
        }
        NodeHealth before = next.health();
        if (before.checked() && !before.up()) {
            // Back after an outage. With the old samples every replica would look as far behind as the outage
            // was long and be excluded until it replayed the restarted primary's first WAL, while the primary's
            // breaker still refuses the fallback: eventual reads failed although both replicas held everything.
            history.clear();
        }
        target = next;
        timeline = tl;
        history.add(nanos, Objects.requireNonNullElse(seen.lsn(), 0L));
    }

    /** The node writes went to when the epoch began, null before the first primary was seen. */
    @Nullable NodeRuntime target() {
        return target;
    }

    /** The target's name, or {@code ?} before the first primary was seen, for logs. */
    String targetName() {
        return target == null ? "?" : target.name();
    }

    /** The target's timeline in this epoch, null when unknown. */
    @Nullable Integer timeline() {
        return timeline;
    }

    long epoch() {
        return epoch;
    }

    /** The target's recent insert positions, for replicas' lag. */
    PrimaryHistory history() {
        return history;
    }

    /** Write-target changes (failovers followed) since start; readable from any thread. */
    long changes() {
        return changes.get();
    }
}
