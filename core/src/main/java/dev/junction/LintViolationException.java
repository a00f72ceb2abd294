package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * A lint in {@link LintMode#STRICT} found its pattern. The message names the lint, what was found and what to
 * change. A write unit that raised it was rolled back.
 */
public final class LintViolationException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final String lint;

    public LintViolationException(String lint, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.lint = lint;
    }

    /** The lint's name, e.g. {@code write-without-writes} or {@code transaction-gap}. */
    public String lint() {
        return lint;
    }
}
