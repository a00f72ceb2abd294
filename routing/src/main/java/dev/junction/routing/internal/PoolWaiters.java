package dev.junction.routing.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads borrowing from one node's pool, so that the monitor can end their wait when it finds the node down:
 * HikariCP keeps trying to connect to a dead server until its {@code connectionTimeout}, and after a crash every
 * caller that arrived just before the monitor noticed would otherwise sit out the whole timeout instead of failing
 * over (or, for a write, failing retryably) at once.
 *
 * <p>A borrow registers itself ({@link #enter()}) and borrows straight from HikariCP on its own thread: no thread,
 * future or poll per borrow, which mattered because a pool without an idle connection is the normal state of a loaded
 * service. The monitor's down verdict {@link #interruptAll() interrupts} the registered threads; HikariCP turns the
 * interrupt into an {@code SQLException}. Each waiter's state is settled by one compare-and-set, so an interrupt is
 * sent only to a thread that is still borrowing, and the borrower clears exactly the interrupt it was sent: nothing
 * leaks into the caller's later code. Thread-safe.
 */
final class PoolWaiters {
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

    /** Registers the current thread as borrowing; {@link Waiter#leave()} must follow, in a {@code finally}. */
    Waiter enter() {
        Waiter w = new Waiter(Thread.currentThread());
        waiting.add(w);
        return w;
    }

    /** Ends the wait of every thread borrowing now (the monitor found the node down). */
    void interruptAll() {
        for (Waiter w : waiting) {
            w.interrupt();
        }
    }

    /** Threads borrowing now, for tests. */
    int size() {
        return waiting.size();
    }

    /** One borrow in progress. */
    final class Waiter {
        private static final int BORROWING = 0;
        private static final int INTERRUPTING = 1;
        private static final int INTERRUPTED = 2;
        private static final int DONE = 3;

        private final Thread thread;
        private final AtomicInteger state = new AtomicInteger(BORROWING);

        private Waiter(Thread thread) {
            this.thread = thread;
        }

        private void interrupt() {
            if (state.compareAndSet(BORROWING, INTERRUPTING)) {
                thread.interrupt();
                state.set(INTERRUPTED);
            }
        }

        /**
         * Ends the borrow: deregisters and, when the monitor interrupted it, clears that interrupt from the thread.
         *
         * @return true when the monitor interrupted this borrow (the node was found down while it waited)
         */
        boolean leave() {
            waiting.remove(this);
            if (state.compareAndSet(BORROWING, DONE)) {
                return false;
            }
            // The monitor won: wait out the few instructions between its compare-and-set and its interrupt, so the
            // flag cleared below is the one it set, and none arrives after.
            while (state.get() != INTERRUPTED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return true;
        }
    }
}
