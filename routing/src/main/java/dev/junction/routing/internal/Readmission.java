package dev.junction.routing.internal;

import java.time.Duration;

/**
 * How long a node's open breaker keeps it out: {@code waitInOpenState} normally, doubled for every opening that
 * comes soon (within {@code maxWait}) after the previous wait ended, up to {@code maxWait}. A node that flaps, down and
 * up every few seconds, is so readmitted less and less often, instead of taking a full load and failing it every
 * time; one that stays up for {@code maxWait} after its wait is forgiven, and its next opening waits the base again.
 * Pure: a state in, a state out, no clock of its own; {@link NodeBreaker} keeps one state per node.
 *
 * <p>Guarantees, for any sequence of events: every wait is between the base and {@code maxWait}; an opening is a
 * strike (doubling the wait) only when it comes less than {@code maxWait} after the end of the previous wait; a node
 * is never readmitted before its wait has passed; while a node flaps, readmissions in any span of time T number at
 * most about {@code log2(maxWait / base) + 1 + T / maxWait}.
 */
final class Readmission {
    /**
     * One node's state.
     *
     * @param strikes   openings in a row that came soon after the previous wait ended; the wait is base x 2^strikes
     * @param waitNanos the current wait
     * @param endsNanos when the current wait ends ({@link System#nanoTime()}); meaningless until {@code opened}
     * @param opened    whether the node was ever shut out
     */
    record State(int strikes, long waitNanos, long endsNanos, boolean opened) {
        static final State FRESH = new State(0, 0, 0, false);
    }

    private final long baseNanos;
    private final long maxNanos;
    private final int maxStrikes;

    /**
     * @param base    the wait of a node that does not flap ({@code waitInOpenState}), > 0
     * @param maxWait the longest wait, >= base; also how long a node must stay in after a wait to be forgiven
     */
    Readmission(Duration base, Duration maxWait) {
        if (base.isNegative() || base.isZero() || maxWait.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= maxWait, but were " + base + " and " + maxWait);
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = maxWait.toNanos();
        int strikes = 0;
        while (strikes < 62 && (baseNanos << strikes) < maxNanos && (baseNanos << strikes) > 0) {
            strikes++;
        }
        this.maxStrikes = strikes;
    }

    /** The node was shut out at {@code now} (its breaker opened): a strike when it comes soon after the last wait. */
    State opened(State s, long now) {
        boolean soonAfter = s.opened() && now - s.endsNanos() < maxNanos;
        int strikes = soonAfter ? Math.min(s.strikes() + 1, maxStrikes) : 0;
        long wait = waitFor(strikes);
        return new State(strikes, wait, now + wait, true);
    }

    /** The node was found down again while shut out: its wait starts over, without a strike. */
    State stillDown(State s, long now) {
        if (!s.opened()) {
            return opened(s, now);
        }
        return new State(s.strikes(), s.waitNanos(), now + s.waitNanos(), true);
    }

    /** Whether the node is still kept out at {@code now}. */
    static boolean blocks(State s, long now) {
        return s.opened() && now - s.endsNanos() < 0;
    }

    /** Whether the last opening lengthened the wait (the node flaps). */
    static boolean backedOff(State s) {
        return s.strikes() > 0;
    }

    long waitFor(int strikes) {
        return strikes >= maxStrikes ? maxNanos : Math.min(maxNanos, baseNanos << strikes);
    }
}
