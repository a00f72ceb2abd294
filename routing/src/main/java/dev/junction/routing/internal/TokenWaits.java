package dev.junction.routing.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for a replica to replay a consistency token's position, and the tally of those waits. Thread-safe.
 */
public final class TokenWaits {
    /** The replay position, and the timeline the WAL receiver streams (null when none runs or it is hidden). */
    static final String REPLAYED = "select pg_last_wal_replay_lsn()::text,"
            + " (select received_tli from pg_stat_wal_receiver)";

    /** The shortest pause between two checks of the replay position. */
    static final long FIRST_PAUSE_MICROS = 100;

    private final LongAdder waits = new LongAdder();
    private final LongAdder reached = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    /**
     * How a wait ended.
     *
     * @param reached whether the replica replayed the position within the bound
     * @param checks  how many times the position was read (1: it was there at once)
     * @param timeline the timeline the replica streamed at the last check, -1 when none or hidden
     * @param lsn      the replay position the last check read, -1 when none
     */
    record Outcome(boolean reached, int checks, int timeline, long lsn) {
    }

    /** Totals so far. */
    public record Snapshot(long waits, long reached, Duration totalWait) {
    }

    /**
     * Reads the replica's replay position on {@code connection} until it reaches {@code lsn} on {@code timeline} or
     * {@code bound} passes. The pauses between checks start at the time one check took, at least
     * {@value #FIRST_PAUSE_MICROS} us, and double up to 5 ms: a replica on the same network replays a fresh commit
     * within a fraction of a millisecond, and a read right after its own write should not sleep a whole millisecond
     * for it, while on a slow network checking more often than a round trip would only add load. A position on
     * another timeline (or with no visible WAL receiver) never counts: the replica could have switched to another
     * history while waiting.
     */
    static Outcome awaitReplay(Connection connection, long lsn, int timeline, Duration bound) throws SQLException {
        long deadline = System.nanoTime() + bound.toNanos();
        long pause = -1;
        int checks = 0;
        int lastTimeline = -1;
        long lastLsn = -1;
        try (Statement s = connection.createStatement()) {
            while (true) {
                checks++;
                long checkStart = System.nanoTime();
                try (ResultSet rs = s.executeQuery(REPLAYED)) {
                    rs.next();
                    String replayed = rs.getString(1);
                    int streamed = rs.getInt(2);
                    boolean streaming = !rs.wasNull();
                    if (streaming && replayed != null) {
                        lastTimeline = streamed;
                        lastLsn = Lsn.parse(replayed);
                    }
                    boolean sameTimeline = streaming && streamed == timeline;
                    if (sameTimeline && replayed != null && Long.compareUnsigned(lastLsn, lsn) >= 0) {
                        return new Outcome(true, checks, lastTimeline, lastLsn);
                    }
                }
                if (pause < 0) {
                    pause = Math.max(TimeUnit.MICROSECONDS.toNanos(FIRST_PAUSE_MICROS), System.nanoTime() - checkStart);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome(false, checks, lastTimeline, lastLsn);
                }
                LockSupport.parkNanos(Math.min(pause, left));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return new Outcome(false, checks, lastTimeline, lastLsn);
                }
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    void record(long waitedNanos, boolean wasReached) {
        waits.increment();
        nanos.add(waitedNanos);
        if (wasReached) {
            reached.increment();
        }
    }

    Snapshot snapshot() {
        return new Snapshot(waits.sum(), reached.sum(), Duration.ofNanos(nanos.sum()));
    }
}
