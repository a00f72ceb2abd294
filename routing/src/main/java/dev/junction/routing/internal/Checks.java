package dev.junction.routing.internal;

import dev.junction.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-field argument checks of the configuration builders, with the house message form
 * {@code "<field> must be ..., but was ..."}; every failure is a {@link ConfigurationException}, the one exception
 * type of configuration errors, which the YAML reader catches to put the file, line and key in front.
 */
public final class Checks {
    private Checks() {
    }

    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new ConfigurationException(field + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    public static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new ConfigurationException(field + " must be >= " + min + ", but was " + value);
        }
        return value;
    }

    public static Duration atLeast(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0) {
            throw new ConfigurationException(field + " must be >= " + Durations.format(min) + ", but was "
                    + Durations.format(value));
        }
        return value;
    }

    /** Zero (disabled) or at least {@code min}. */
    public static Duration zeroOrAtLeast(String field, Duration value, Duration min) {
        Objects.requireNonNull(value, field);
        if (!value.isZero() && value.compareTo(min) < 0) {
            throw new ConfigurationException(field + " must be 0 (disabled) or >= " + Durations.format(min)
                    + ", but was " + Durations.format(value));
        }
        return value;
    }

    public static String notBlank(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new ConfigurationException(field + " must not be blank, but was '" + value + "'");
        }
        return value;
    }
}
