package dev.junction.routing.internal;

import dev.junction.routing.SplitBrainPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which node takes writes, from the last check of every node: observations in, verdict out, no I/O and no state, so
 * the election and the split-brain rule are tested without a cluster. A node "claims" the primary role when its last
 * check reached it out of recovery. With configured roles the target is always the configured primary; with
 * discovered roles it is the one claimant. While two or more nodes claim the role, {@link SplitBrainPolicy.REFUSE_WRITES}
 * refuses writes, and {@link SplitBrainPolicy#NEWEST_TIMELINE} sends them to the one claimant on the strictly newest
 * known timeline (refusing them on a tie or when no claimant's timeline is known, and, with configured roles, when that
 * claimant is not the configured primary). Guarantees: a verdict that accepts writes names exactly one target, and
 * while several nodes claim the role that target is on a timeline newer than every other claimant's.
 *
 * @param <N> the node type ({@link NodeRuntime} in production, plain values in tests)
 */
final class PrimaryElection {
    private PrimaryElection() {
    }

    /**
     * One node's last check.
     *
     * @param node        the node
     * @param name        its configured name, for messages
     * @param observation what the check saw, or null when it did not reach the node
     * @param error       why it did not reach the node (null when it did)
     */
    record Seen<N>(N node, String name, Probe.@Nullable Observation observation, @Nullable String error) {
        Seen {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(name, "name");
        }

        boolean claimsPrimary() {
            return observation != null && !observation.inRecovery();
        }

        @Nullable Integer timeline() {
            return observation == null ? null : observation.timeline();
        }
    }

    /**
     * The election's outcome.
     *
     * @param target    where writes go, or null when no node may take them
     * @param claimants the nodes that claim the primary role, in the order they were given
     * @param refusal   why writes are refused before the target's own health is looked at, or null
     */
    record Verdict<N>(@Nullable N target, List<N> claimants, @Nullable String refusal) {
        Verdict {
            claimants = List.copyOf(claimants);
        }

        /** True when writes may go to {@link #target()} (its own health permitting). */
        boolean acceptsWrites() {
            return target != null && refusal == null;
        }
    }

    /**
     * @param seen              every node's last check, in configuration order
     * @param configuredPrimary the primary of a configuration with fixed roles; null when roles are discovered
     * @param policy            what writes do while two or more nodes claim the primary role
     */
    static <N> Verdict<N> decide(List<Seen<N>> seen, @Nullable N configuredPrimary, SplitBrainPolicy policy) {
        List<Seen<N>> claimants = seen.stream().filter(Seen::claimsPrimary).toList();
        List<N> claimantNodes = new ArrayList<>(claimants.size());
        claimants.forEach(s -> claimantNodes.add(s.node()));
        boolean discover = configuredPrimary == null;
        if (claimants.size() >= 2) {
            Seen<N> newest = newestTimeline(claimants);
            if (policy == SplitBrainPolicy.NEWEST_TIMELINE && newest != null) {
                if (discover) {
                    return new Verdict<>(newest.node(), claimantNodes, null);
                }
                if (newest.node().equals(configuredPrimary)) {
                    return new Verdict<>(configuredPrimary, claimantNodes, null);
                }
                String primaryName = seen.stream().filter(s -> s.node().equals(configuredPrimary))
                        .map(Seen::name).findFirst().orElse("?");
                return new Verdict<>(configuredPrimary, claimantNodes, "split brain: " + describe(claimants)
                        + " claim the primary role (pg_is_in_recovery() = false), and the newest timeline is on '"
                        + newest.name() + "', not on the configured primary '" + primaryName + "'; writes are refused"
                        + " (splitBrain: newest-timeline). Point the primary's URL at the new primary, or configure"
                        + " the nodes without roles so that Junction follows the platform's failover");
            }
            return new Verdict<>(discover ? null : configuredPrimary, claimantNodes, "split brain: "
                    + describe(claimants) + " claim the primary role (pg_is_in_recovery() = false)"
                    + (newest == null && policy == SplitBrainPolicy.NEWEST_TIMELINE
                    ? " and no single one is on the newest timeline" : "")
                    + "; writes are refused so that they never reach two of them (splitBrain: "
                    + policy.name().toLowerCase(Locale.ROOT).replace('_', '-') + "). Fence or demote all but one");
        }
        if (!discover) {
            return new Verdict<>(configuredPrimary, claimantNodes, null);
        }
        if (claimants.isEmpty()) {
            return new Verdict<>(null, claimantNodes, "no node is in the primary role (" + seen.stream()
                    .map(PrimaryElection::describeState).collect(Collectors.joining(", "))
                    + "); a failover may be in progress");
        }
        return new Verdict<>(claimants.get(0).node(), claimantNodes, null);
    }

    /** The claimant on the strictly newest known timeline, or null on a tie or when no timeline is known. */
    private static <N> @Nullable Seen<N> newestTimeline(List<Seen<N>> claimants) {
        Seen<N> newest = null;
        int best = Integer.MIN_VALUE;
        boolean tie = false;
        for (Seen<N> s : claimants) {
            int value = s.timeline() == null ? Integer.MIN_VALUE : s.timeline();
            if (newest == null || value > best) {
                newest = s;
                best = value;
                tie = false;
            } else if (value == best) {
                tie = true;
            }
        }
        return tie || best == Integer.MIN_VALUE ? null : newest;
    }

    /** "nodes 'a' (timeline 2) and 'b' (timeline 3) both", for the messages. */
    static String describe(List<? extends Seen<?>> claimants) {
        List<String> parts = claimants.stream().map(s -> "'" + s.name() + "' (timeline " + s.timeline() + ")")
                .toList();
        String joined = parts.size() == 2 ? parts.get(0) + " and " + parts.get(1) : String.join(", ", parts);
        return "nodes " + joined + (parts.size() == 2 ? " both" : " all");
    }

    private static String describeState(Seen<?> s) {
        return s.observation() == null ? "'" + s.name() + "' is down: " + s.error() : "'" + s.name() + "' is in recovery";
    }
}
