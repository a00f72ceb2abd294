package dev.junction.routing.internal;

import java.time.Duration;
import java.util.Objects;

/** Per-field argument checks with the house message form {@code "<field> must be ..., but was ..."}. */
public final class Checks {
    private Checks() {
    }

    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    public static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    public static Duration atLeast(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be >= " + Durations.format(min) + ", but was "
                    + Durations.format(value));
        }
        return value;
    }

    /** Zero (disabled) or at least {@code min}. */
    public static Duration zeroOrAtLeast(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (!value.isZero() && value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be 0 (disabled) or >= " + Durations.format(min)
                    + ", but was " + Durations.format(value));
        }
        return value;
    }

    public static String notBlank(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, but was '" + value + "'");
        }
        return value;
    }
}
