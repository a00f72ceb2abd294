package dev.junction.testkit;

import java.net.SocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * What an exception holds, for tests that check why an operation failed rather than how long it took: a failure
 * that waited out a socket timeout holds a {@link SocketTimeoutException} among its causes or suppressed exceptions.
 */
public final class Causes {
    private Causes() {
    }

    /** The {@link SocketTimeoutException}s in {@code failure}, its causes and what each of them suppressed. */
    public static int socketTimeouts(@Nullable Throwable failure) {
        if (failure == null) {
            return 0;
        }
        int n = failure instanceof SocketTimeoutException ? 1 : 0;
        for (Throwable s : failure.getSuppressed()) {
            n += socketTimeouts(s);
        }
        return n + (failure.getCause() == failure ? 0 : socketTimeouts(failure.getCause()));
    }
}
