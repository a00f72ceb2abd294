package dev.junction.internal.parallel;

import dev.junction.JunctionException;
import dev.junction.Work;
import dev.junction.spi.NodeRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the works of one parallel call, each with its own read lease, at most {@code parallelism} at a time, the first
 * lease's node pinned for all siblings: every work but the last on a virtual thread of its own, the last on the
 * calling thread, which would otherwise only wait. One thread start, park and wake-up fewer per group cut what a
 * two-work group costs more than its two statements run one after another from 47-53 us of JVM CPU to 32-35 us,
 * measured interleaved in one JVM at 1 and 16 callers.
 * The last work is cancelled like the others except that its thread, the caller's, is never interrupted: a running
 * statement is cancelled on the server, and the work stops at its next statement. On the first failure every other
 * work is cancelled ({@link Cancellation}) and no further work starts; {@link #run()} returns or throws only after
 * every started work has finished, so no connection outlives the call. Used once, by one calling thread.
 */
public final class ParallelGroup {
    /** How often the coordinator re-issues cancellation to works that are still running after a failure. */
    private static final long RECANCEL_MILLIS = 50;

    /** Runs one work as a read unit; supplied by the Database. */
    @FunctionalInterface
    public interface SiblingRunner {
        @Nullable Object run(Work<?> work, @Nullable String pinned, Cancellation cancellation,
                @Nullable Consumer<NodeRef> onLease);
    }

    private final List<? extends Work<?>> works;
    private final SiblingRunner runner;
    private final Semaphore permits;
    private final Cancellation[] cancellations;
    private final Thread[] threads;
    private final @Nullable Object[] results;
    private final @Nullable Throwable[] failures;
    private final CompletableFuture<@Nullable String> firstNode = new CompletableFuture<>();
    private final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();

    public ParallelGroup(List<? extends Work<?>> works, int parallelism, SiblingRunner runner) {
        this.works = works;
        this.runner = runner;
        int n = works.size();
        this.permits = new Semaphore(Math.max(1, Math.min(parallelism, n)));
        this.cancellations = new Cancellation[n];
        for (int i = 0; i < n; i++) {
            cancellations[i] = new Cancellation();
        }
        this.threads = new Thread[n];
        this.results = new Object[n];
        this.failures = new Throwable[n];
    }

    public List<@Nullable Object> run() {
        int n = works.size();
        if (n == 0) {
            return List.of();
        }
        boolean interrupted = false;
        int started = 0;
        boolean runLast = false;
        try {
            for (int i = 0; i < n && firstFailure.get() == null; i++) {
                permits.acquire();
                if (firstFailure.get() != null) {
                    permits.release();
                    break;
                }
                if (i == n - 1) {
                    runLast = true; // on this thread, below, holding its permit
                    break;
                }
                int index = i;
                Thread thread = Thread.ofVirtual().name("junction-parallel-" + i).unstarted(() -> runWork(index));
                cancellations[i].bind(thread);
                threads[i] = thread;
                thread.start();
                started++;
            }
        } catch (InterruptedException e) {
            interrupted = true;
            fail(-1, new JunctionException("interrupted while starting the works of a parallel group", e));
        }
        if (runLast) {
            if (firstFailure.get() == null) {
                runWork(n - 1);
            } else {
                permits.release();
            }
        }
        interrupted |= awaitAll(started);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = firstFailure.get();
        if (failure != null) {
            for (int i = 0; i < n; i++) {
                Throwable other = failures[i];
                if (other != null && other != failure && !cancellations[i].isCancelled()) {
                    failure.addSuppressed(other);
                }
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(results)));
    }

    private void runWork(int index) {
        Cancellation cancellation = cancellations[index];
        try {
            String pinned = null;
            Consumer<NodeRef> onLease = null;
            if (index == 0) {
                onLease = node -> firstNode.complete(node.name());
            } else {
                pinned = awaitFirstNode(cancellation);
                cancellation.check(); // the first work failed meanwhile: no connection for a cancelled work
            }
            results[index] = runner.run(works.get(index), pinned, cancellation, onLease);
        } catch (Throwable t) {
            failures[index] = t;
            if (!cancellation.isCancelled()) {
                fail(index, t);
            }
        } finally {
            if (index == 0) {
                firstNode.complete(null);
            }
            if (threads[index] != null) {
                Thread.interrupted(); // a cancellation's interrupt must not outlive the work
            }
            permits.release();
        }
    }

    private @Nullable String awaitFirstNode(Cancellation cancellation) {
        try {
            return firstNode.get();
        } catch (InterruptedException e) {
            // Kept for the caller when the last work runs on its thread; a work thread's finally clears it.
            Thread.currentThread().interrupt();
            cancellation.check();
            throw new JunctionException("interrupted while waiting for the first work's connection", e);
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** Records the group's failure (the first one wins) and cancels every other work. */
    private void fail(int index, Throwable failure) {
        if (firstFailure.compareAndSet(null, failure)) {
            cancelOthers(index);
        }
    }

    private void cancelOthers(int except) {
        for (int i = 0; i < cancellations.length; i++) {
            if (i != except) {
                cancellations[i].cancel();
            }
        }
    }

    /** Joins the started works; after a failure, re-issues cancellation until they stop. Returns if interrupted. */
    private boolean awaitAll(int started) {
        boolean interrupted = false;
        for (int i = 0; i < started; i++) {
            Thread thread = threads[i];
            while (thread.isAlive()) {
                try {
                    thread.join(RECANCEL_MILLIS);
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        interrupted = true;
                        fail(-1, new JunctionException("interrupted while waiting for a parallel group", e));
                    }
                }
                if (thread.isAlive() && firstFailure.get() != null) {
                    for (int j = 0; j < started; j++) {
                        if (threads[j].isAlive() && failures[j] == null) {
                            cancellations[j].cancel();
                        }
                    }
                }
            }
        }
        return interrupted;
    }
}
