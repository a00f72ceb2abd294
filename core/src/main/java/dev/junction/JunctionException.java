package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception Junction raises itself. Unchecked, like jOOQ's {@code DataAccessException}; SQL errors
 * reported by the server stay jOOQ's exceptions and are not wrapped. Messages never contain passwords or bind values.
 */
public class JunctionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JunctionException(String message) {
        super(message);
    }

    public JunctionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the unit of work certainly was not applied and failed for a passing reason (the primary was away,
     * e.g. during a failover), so the caller may run it again, after a pause. Junction itself never re-runs a write.
     * False by default, and for every failure whose outcome is unknown.
     */
    public boolean isRetryable() {
        return false;
    }
}
