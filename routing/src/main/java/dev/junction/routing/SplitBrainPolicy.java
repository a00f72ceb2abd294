package dev.junction.routing;

/**
 * What writes do while two or more nodes claim the primary role ({@code pg_is_in_recovery()} is false on each),
 * e.g. an old primary that came back after a replica was promoted. Junction never writes to two of them; it also
 * logs the episode once and counts it ({@link PrimaryStatus#splitBrainEpisodes()}, meter
 * {@code junction.split_brain}).
 */
public enum SplitBrainPolicy {
    /**
     * Write only to the claimant on the newest timeline (the default): a promotion always starts a new timeline,
     * so the newest one is the most recently promoted node, the one the platform chose. When the newest timeline is
     * shared (two claimants on one timeline cannot be told apart), writes are refused. With fixed roles, writes go
     * to the configured primary only while it is that claimant.
     */
    NEWEST_TIMELINE,
    /** Refuse every write while more than one node claims the primary role; the error names every claimant. */
    REFUSE_WRITES
}
