package dev.junction.samples.service;

/**
 * A request the directory refuses, with the HTTP status to answer and a message safe to show the client: it names
 * the field and the rule, never the value received.
 */
public final class DirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public DirectoryException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status, but was " + status);
        }
        this.status = status;
    }

    /** The HTTP status: 400, 404, 409, 413 or 503. */
    public int status() {
        return status;
    }

    static DirectoryException invalid(String message) {
        return new DirectoryException(400, message);
    }

    static DirectoryException notFound(String message) {
        return new DirectoryException(404, message);
    }

    static DirectoryException conflict(String message) {
        return new DirectoryException(409, message);
    }
}
