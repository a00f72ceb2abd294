package dev.junction.internal.observation;

import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The caller's context, captured on the caller's thread and restored on a thread that works for it (a parallel
 * group's works, a lookup table's load): SLF4J's MDC always (core depends on SLF4J), and, when
 * {@code io.micrometer:context-propagation} is on the class path, a {@code ContextSnapshot} of every registered
 * {@code ThreadLocalAccessor}: the current observation and with it the trace context (micrometer-observation
 * registers its accessor), and any accessor the application registers. Thread-safe; a {@link Captured} may be
 * restored on several threads at once.
 */
public final class ContextCapture {
    /** Whether context-propagation is on the class path (module path: whether its module was resolved). */
    static final boolean SNAPSHOTS = present("io.micrometer.context.ContextSnapshotFactory");

    private ContextCapture() {
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ContextCapture.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The calling thread's context now. */
    public static Captured capture() {
        return new Captured(MDC.getCopyOfContextMap(), SNAPSHOTS ? ContextSnapshots.capture() : null);
    }

    /** An executor that runs each task with the context of the thread that handed it over. */
    public static Executor propagating(Executor executor) {
        return task -> {
            Captured captured = capture();
            executor.execute(() -> {
                try (Restored restored = captured.restore()) {
                    task.run();
                }
            });
        };
    }

    /** A captured context. */
    public static final class Captured {
        private final @Nullable Map<String, String> mdc;
        private final @Nullable Object snapshot;

        Captured(@Nullable Map<String, String> mdc, @Nullable Object snapshot) {
            this.mdc = mdc;
            this.snapshot = snapshot;
        }

        /** Sets the captured context on the calling thread until the result is closed (on the same thread). */
        public Restored restore() {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            AutoCloseable scope = snapshot != null ? ContextSnapshots.restore(snapshot) : null;
            return new Restored(previous, scope);
        }
    }

    /** A restored context; closing it puts back what the thread had before. */
    public static final class Restored implements AutoCloseable {
        private final @Nullable Map<String, String> previous;
        private final @Nullable AutoCloseable scope;

        Restored(@Nullable Map<String, String> previous, @Nullable AutoCloseable scope) {
            this.previous = previous;
            this.scope = scope;
        }

        @Override
        public void close() {
            if (scope != null) {
                ContextSnapshots.close(scope);
            }
            if (previous != null) {
                MDC.setContextMap(previous);
            } else {
                MDC.clear();
            }
        }
    }
}
