package dev.junction.samples.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One unit of work the load ran: what it was, when, where it ran and how it ended.
 *
 * @param kind            write, read after the writer's own token, or eventual read
 * @param startNanos      {@link System#nanoTime()} when the unit was called
 * @param endNanos        when it returned or threw
 * @param node            the node that served it (the last one, for a retried read); null when it failed
 * @param failure         the simple class name of what it threw, null on success
 * @param firstFailedNode for a read retried on another node, the node of its failed first attempt
 * @param socketTimeouts  how many {@code SocketTimeoutException}s the failure holds (causes and suppressed): each is
 *                        one reply waited out to pgJDBC's {@code socketTimeout}; 0 on success
 */
record Op(Kind kind, long startNanos, long endNanos, @Nullable String node, @Nullable String failure,
          @Nullable String firstFailedNode, int socketTimeouts) {

    Op(Kind kind, long startNanos, long endNanos, @Nullable String node, @Nullable String failure,
       @Nullable String firstFailedNode) {
        this(kind, startNanos, endNanos, node, failure, firstFailedNode, 0);
    }

    enum Kind { WRITE, TOKEN_READ, READ }

    boolean ok() {
        return failure == null;
    }

    boolean isRead() {
        return kind != Kind.WRITE;
    }

    long nanos() {
        return endNanos - startNanos;
    }
}
