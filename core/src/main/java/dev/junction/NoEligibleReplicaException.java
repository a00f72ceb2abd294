package dev.junction;

import org.jspecify.annotations.Nullable;

/** No replica could serve a read and the configuration forbids falling back to the primary. */
public final class NoEligibleReplicaException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public NoEligibleReplicaException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
