package dev.junction.routing;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which node takes writes now, as the monitor last saw it: for health endpoints, and to watch a failover happen.
 * An immutable snapshot (thread-safe); take a new one with {@link ClusterRouter#primaryStatus()}.
 *
 * @param node               the node writes go to: with fixed roles the configured primary (even while it is down;
 *                           see {@code writesRefused}), with discovered roles the node found in the primary role;
 *                           null while writes are refused by a split brain, or no node is in the primary role
 * @param timeline           that node's timeline (its WAL insert timeline), or the last one seen; null before any
 * @param claimants          every node whose last check found it out of recovery ({@code pg_is_in_recovery()} false),
 *                           in configuration order: one normally, none during a failover, two or more in a split
 *                           brain
 * @param writesRefused      why writes are refused right now, as the message of the
 *                           {@link dev.junction.PrimaryUnavailableException} they get; null when they are not
 * @param changes            how often the write target changed to another node or timeline since the router started
 *                           (failovers followed)
 * @param splitBrainEpisodes how often two or more nodes started to claim the primary role at the same time
 */
public record PrimaryStatus(@Nullable String node, @Nullable Integer timeline, List<String> claimants,
                            @Nullable String writesRefused, long changes, long splitBrainEpisodes) {
    public PrimaryStatus {
        claimants = List.copyOf(Objects.requireNonNull(claimants, "claimants"));
    }
}
