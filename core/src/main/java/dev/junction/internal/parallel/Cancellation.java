package dev.junction.internal.parallel;

import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * Lets one thread stop the work another thread runs: marks it cancelled, cancels its running statement on the
 * server ({@link Statement#cancel()}) and, when no statement is running, interrupts its thread. A thread blocked in
 * socket I/O is not interrupted while a statement runs: on a virtual thread that would close the socket and lose the
 * connection, while a server-side cancel leaves it usable. Thread-safe.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private volatile @Nullable Statement running;
    private volatile @Nullable Thread thread;

    void bind(Thread worker) {
        this.thread = worker;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Called by the owning thread before a statement is sent; throws if the work was cancelled. */
    public void statementStarting(@Nullable Statement statement) {
        running = statement;
        if (cancelled) {
            running = null;
            throw cancelledException();
        }
    }

    /** Called by the owning thread once a statement finished. */
    public void statementEnded() {
        running = null;
    }

    /** Throws if the work was cancelled; for checkpoints outside statements. */
    public void check() {
        if (cancelled) {
            throw cancelledException();
        }
    }

    /** Cancels the work; may be called repeatedly and from any thread. */
    void cancel() {
        cancelled = true;
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // The statement may have completed or its connection closed meanwhile; nothing to cancel then.
            }
        } else {
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    static UnitCancelledException cancelledException() {
        return new UnitCancelledException("work cancelled because another work of the same parallel group failed");
    }
}
