package dev.junction.routing;

import java.time.Duration;

/**
 * How reads with a consistency token were served since the router started: the figures behind read-your-writes.
 * An immutable snapshot.
 *
 * @param servedAtOnce    by a replica that had already replayed the token's commit
 * @param servedAfterWait by a replica after waiting for it to replay the commit (at most consistency.maxWait)
 * @param servedByPrimary by the primary: no replica caught up in time, the TIME mode window, or a foreign token
 * @param replayChecks    token reads that read a replica's replay position on its connection because the monitor
 *                        did not yet know it had caught up (each such read counts once, whatever it then waited;
 *                        it is also counted in servedAtOnce, servedAfterWait or servedByPrimary)
 * @param totalWait       time spent in those checks and waits, summed over all reads
 */
public record TokenReadStats(long servedAtOnce, long servedAfterWait, long servedByPrimary, long replayChecks,
                            Duration totalWait) {

    /** All token reads. */
    public long total() {
        return servedAtOnce + servedAfterWait + servedByPrimary;
    }

    /** The share served by replicas, 0..1 (0 when there were none). */
    public double replicaShare() {
        long total = total();
        return total == 0 ? 0 : (double) (servedAtOnce + servedAfterWait) / total;
    }
}
