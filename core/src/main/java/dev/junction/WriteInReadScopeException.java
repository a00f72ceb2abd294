package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * A statement that modifies data (or locks rows) was attempted inside a read scope. It was refused before reaching
 * the server, or rejected by the server's read-only guard (SQLState 25006). Nothing was written.
 */
public final class WriteInReadScopeException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public WriteInReadScopeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
