package dev.junction;

/**
 * A consistency token could not be decoded: empty, truncated, corrupted, or written by a newer token format. The
 * message says which, without echoing the token. Callers that take tokens from requests can avoid the exception
 * with {@link Consistency#afterToken(String)}, which falls back to the primary instead.
 */
public final class InvalidConsistencyTokenException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public InvalidConsistencyTokenException(String message) {
        super(message);
    }
}
