package dev.junction.internal.observation;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Micrometer context-propagation's snapshots: the only class of Junction that touches {@code context-propagation},
 * loaded by {@link ContextCapture} only when that jar is present. Captures the values of every
 * {@code ThreadLocalAccessor} in the global {@code ContextRegistry} (found through the service loader, plus those the
 * application registered). Thread-safe.
 */
final class ContextSnapshots {
    private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

    private ContextSnapshots() {
    }

    static Object capture() {
        return FACTORY.captureAll();
    }

    static AutoCloseable restore(Object snapshot) {
        return ((ContextSnapshot) snapshot).setThreadLocals();
    }

    static void close(AutoCloseable scope) {
        ((ContextSnapshot.Scope) scope).close();
    }
}
