package dev.junction.routing.internal;

import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The monitor's last observation of one node. Immutable.
 *
 * @param checked            false until the first check finished
 * @param up                 the check reached the node
 * @param observedRole       from {@code pg_is_in_recovery()}; null when never reached
 * @param lsn                replay position (replica) or insert position (primary)
 * @param lagBytes           bytes behind the primary's insert position (replicas)
 * @param lag                staleness estimate (replicas)
 * @param replayTimestampAge {@code now() - pg_last_xact_replay_timestamp()} (replicas)
 * @param lagExcluded        excluded for lag, with hysteresis
 * @param checkedAt          when
 * @param lastError          why the node is down, no secrets
 * @param timeline           a primary's insert timeline; for a standby, the timeline Junction knows it to be on
 *                           (the one its WAL receiver streams, or streamed when last seen, while no other primary
 *                           took over); null when unknown, and then no consistency token is judged reached on it
 * @param offHistory         why a standby is not known to follow the primary's history (another timeline, or no
 *                           WAL receiver since the primary changed); null when it may serve reads
 */
public record NodeHealth(boolean checked, boolean up, @Nullable Role observedRole, @Nullable Long lsn,
                         @Nullable Long lagBytes, @Nullable Duration lag, @Nullable Duration replayTimestampAge,
                         boolean lagExcluded, @Nullable Instant checkedAt, @Nullable String lastError,
                         @Nullable Integer timeline, @Nullable String offHistory) {

    public static final NodeHealth UNKNOWN = new NodeHealth(false, false, null, null, null, null, null, false, null,
            null, null, null);

    public static NodeHealth down(NodeHealth previous, Instant at, String error) {
        return new NodeHealth(true, false, previous.observedRole, previous.lsn, previous.lagBytes, previous.lag,
                previous.replayTimestampAge, previous.lagExcluded, at, error, previous.timeline, previous.offHistory);
    }
}
