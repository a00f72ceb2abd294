package dev.junction.testkit;

import org.jspecify.annotations.Nullable;

/**
 * The testkit could not set up or control a PostgreSQL node. The message says what went wrong and how to fix it;
 * where a server log exists, its last lines are included.
 */
public final class TestkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TestkitException(String message) {
        super(message);
    }

    public TestkitException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
