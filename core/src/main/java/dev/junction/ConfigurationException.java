package dev.junction;

import org.jspecify.annotations.Nullable;

/**
 * The configuration is invalid. The message names the field (and, for files, the file, line and key) and the fix.
 */
public final class ConfigurationException extends JunctionException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
