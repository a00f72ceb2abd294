package dev.junction.routing;

import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the router knows about one node at one moment: the monitor's last observation, the pool's counters and the
 * circuit breaker's state. An immutable snapshot (thread-safe); take a new one with {@link Topology#snapshot()}.
 *
 * @param name               the configured node name
 * @param configuredRole     the role the configuration gives it; for a node whose role is discovered, the role
 *                           Junction uses it in now: {@code PRIMARY} while it is the write target, else
 *                           {@code REPLICA}
 * @param observedRole       the role the monitor saw ({@code pg_is_in_recovery()}), or null before the first
 *                           successful check
 * @param up                 whether the last check reached the node
 * @param eligible           whether the node may serve its configured role right now (up, in that role, breaker not
 *                           open and, for replicas, within the lag limits)
 * @param lagBytes           WAL bytes the replica has not replayed yet, compared with the primary's insert position
 *                           (null for the primary or when unknown)
 * @param lag                estimated staleness of the replica: how long ago the primary was at the position the
 *                           replica has replayed (zero when 0 bytes behind; null for the primary or when unknown)
 * @param replayTimestampAge {@code now() - pg_last_xact_replay_timestamp()} on the replica, a secondary figure that
 *                           also grows while the primary is idle (null for the primary or when unknown)
 * @param lagExcluded        whether the replica is currently excluded for lag (with hysteresis)
 * @param lastLsn            the node's last WAL position seen: replay position on a replica, insert position on the
 *                           primary (null when unknown)
 * @param lastChecked        when the monitor last checked the node (null before the first check)
 * @param lastError          the last check's error when the node is down, without secrets (null when up)
 * @param poolActive         connections lent out
 * @param poolIdle           connections idle in the pool
 * @param poolTotal          connections in the pool
 * @param poolWaiting        threads waiting for a connection
 * @param outstanding        leases of this node not yet released
 * @param breaker            the circuit breaker's state
 * @param timeline           the primary's WAL insert timeline; for a standby the timeline its WAL receiver streams
 *                           (null when unknown: not streaming, or the monitor's role may not see it)
 * @param roleDiscovered     true when the configuration gives the node no role and the monitor discovers it
 */
public record NodeStatus(String name, Role configuredRole, @Nullable Role observedRole, boolean up, boolean eligible,
                         @Nullable Long lagBytes, @Nullable Duration lag, @Nullable Duration replayTimestampAge,
                         boolean lagExcluded, @Nullable String lastLsn, @Nullable Instant lastChecked,
                         @Nullable String lastError, int poolActive, int poolIdle, int poolTotal, int poolWaiting,
                         int outstanding, BreakerState breaker, @Nullable Integer timeline,
                         boolean roleDiscovered) {
}
