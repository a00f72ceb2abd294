package dev.junction;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * No node could serve a read: no replica was eligible (and the configuration forbids falling back to the primary, or
 * the primary could not take it either), or the read's consistency asks for a node none of them is. Besides the
 * message, {@link #refusals()} says as data why each replica the router considered was refused, so a caller or a
 * health check can act on the reason without parsing text.
 */
public final class NoEligibleReplicaException extends JunctionException {
    private static final long serialVersionUID = 1L;

    /** Why one replica could not serve the read. */
    public enum Reason {
        /** The request excluded it: a retry of a read that failed there. */
        EXCLUDED,
        /** The monitor has not finished its first check of it yet. */
        NOT_CHECKED,
        /** The monitor's last check could not reach it. */
        DOWN,
        /** It is not in recovery: it is a primary, not a standby. */
        WRONG_ROLE,
        /** It is not known to follow the primary's history (another timeline, or no WAL receiver since a failover). */
        OFF_HISTORY,
        /** Its circuit breaker is open, or let no trial call through. */
        BREAKER_OPEN,
        /** It is further behind the primary than the configured lag limits. */
        LAGGING,
        /** Its pool was busy and its bulkhead full, or no connection came free within the pool's timeout. */
        POOL_SATURATED,
        /** It was eligible but failed to give a working connection. */
        CONNECTION_FAILED,
        /** A read after a consistency token: it is not known to be on the token's timeline. */
        TOKEN_TIMELINE,
        /** A read after a consistency token: it had not replayed the token's position (within the wait bound). */
        BEHIND_TOKEN,
        /**
         * The read's consistency lets only the primary serve it: strong consistency, a token of another cluster, or
         * a commit younger than the configured primary window.
         */
        PRIMARY_ONLY
    }

    /**
     * One replica's refusal.
     *
     * @param node   the replica's configured name
     * @param reason why, as data
     * @param detail the same reason in words with its numbers (e.g. the error that made it down, its lag and the
     *               limits); the text the message shows for this replica when the message lists replicas. Never a
     *               password or a bind value
     */
    public record Refusal(String node, Reason reason, String detail) implements Serializable {
        public Refusal {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final List<Refusal> refusals;

    /** An exception without per-replica reasons (a router that does not report them). */
    public NoEligibleReplicaException(String message, @Nullable Throwable cause) {
        this(message, List.of(), cause);
    }

    /**
     * @param refusals every replica considered and why it was refused, at most one per replica
     */
    public NoEligibleReplicaException(String message, List<Refusal> refusals, @Nullable Throwable cause) {
        super(message, cause);
        this.refusals = List.copyOf(refusals);
    }

    /**
     * Every replica the router considered for this read and why it refused it, at most one entry per replica (its
     * last reason), in the order the router first refused them (the message's order, where it lists them). Empty
     * when no replica is configured, or when the router does not report reasons. Immutable.
     */
    public List<Refusal> refusals() {
        return refusals;
    }
}
