package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * The primary cannot accept work right now (down, circuit open, or in recovery). A write that fails with this
 * exception was not applied; it is safe to retry it later.
 */
public final class PrimaryUnavailableException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public PrimaryUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** Always true: the write did not start, so nothing was applied. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
