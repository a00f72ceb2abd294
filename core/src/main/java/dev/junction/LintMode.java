package dev.junction;

/**
 * What a lint does when it finds its pattern. Use {@link #STRICT} in tests, {@link #WARN} in production.
 */
public enum LintMode {
    /** The lint is not checked. */
    OFF,
    /** The first finding per call site is logged with the fix; every finding is counted. The unit goes on. */
    WARN,
    /** A finding throws {@link LintViolationException}; a write unit is rolled back. */
    STRICT
}
