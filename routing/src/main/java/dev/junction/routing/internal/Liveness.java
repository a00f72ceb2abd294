package dev.junction.routing.internal;

import java.net.SocketTimeoutException;

/**
 * Whether a monitor check that got no answer may count its node down. A check can go unanswered because the node
 * is unreachable (blackholed, partitioned), or because the client is too loaded to read the answer in time (a
 * saturated service, a long GC pause). The second must not take every node out of routing at the moment the service
 * needs it most. The application's own statements tell the two apart: while they keep completing on the node, it
 * answers, and a check without an answer is inconclusive. A blackholed node completes no statement, so it is still
 * found down at the check's deadline. Only missing answers are weighed this way. A refused connection, a reset or an
 * error from the server counts at once. Inconclusive checks keep the node's last verdict at most
 * {@link #INCONCLUSIVE_LIMIT_TIMEOUTS} times {@code monitor.timeout}, so a node whose checks never answer cannot stay
 * in routing on old observations (its lag, its role) for ever. Pure: no clock, no I/O.
 */
final class Liveness {
    /** How long inconclusive checks may keep a verdict, in monitor timeouts (10 s by default). */
    static final int INCONCLUSIVE_LIMIT_TIMEOUTS = 10;
    /** A failure this close to the check's timeout (or later) is a missing answer, whatever the exception says. */
    private static final double NO_ANSWER_SHARE = 0.9;

    private Liveness() {
    }

    /**
     * True when a check failed for want of an answer rather than a refusal: a socket timeout anywhere in the cause
     * chain (pgJDBC's connect and read timeouts), or a failure that took about the whole timeout (pgJDBC's
     * {@code loginTimeout} says "Connection attempt timed out" in the driver's language, with no cause).
     */
    static boolean noAnswer(Throwable failure, long elapsedNanos, long timeoutNanos) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return elapsedNanos >= (long) (timeoutNanos * NO_ANSWER_SHARE);
    }

    /**
     * True when a check that got no answer is inconclusive: the node completed an application statement at or after
     * {@code windowStartNanos} (one timeout ago: a node that answered a moment before the check gave up answers), and
     * the node's last conclusive result is less than {@link #INCONCLUSIVE_LIMIT_TIMEOUTS} timeouts old.
     *
     * @param lastAnswerNanos     when an application statement on the node last completed ({@link System#nanoTime()})
     * @param lastConclusiveNanos when the node's last conclusive check result came
     */
    static boolean inconclusive(long lastAnswerNanos, long windowStartNanos, long lastConclusiveNanos,
                                long nowNanos, long timeoutNanos) {
        boolean answeredInWindow = lastAnswerNanos - windowStartNanos >= 0;
        boolean withinLimit = nowNanos - lastConclusiveNanos < timeoutNanos * INCONCLUSIVE_LIMIT_TIMEOUTS;
        return answeredInWindow && withinLimit;
    }
}
