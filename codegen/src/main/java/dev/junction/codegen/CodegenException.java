package dev.junction.codegen;

/**
 * Code generation failed: the embedded PostgreSQL did not start, a migration failed, or jOOQ's generator failed. The
 * message says which step and how to fix it; the cause is chained.
 */
public final class CodegenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CodegenException(String message, Throwable cause) {
        super(message, cause);
    }
}
