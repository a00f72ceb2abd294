package dev.junction.spring;

import dev.junction.ConfigurationException;
import dev.junction.JunctionException;
import java.util.List;

/**
 * A {@code junction.*} property has a value the library refuses. The message starts with the property as the user
 * writes it ({@code junction.nodes[1].url}) followed by the library's own message (what is wrong and how to fix it);
 * the cause is the library's {@link ConfigurationException}. Reported at start-up by {@link JunctionFailureAnalyzer}.
 */
public final class InvalidJunctionPropertyException extends JunctionException {
    private static final long serialVersionUID = 1L;

    private final List<String> properties;
    private final String problem;

    InvalidJunctionPropertyException(List<String> properties, String problem, ConfigurationException cause) {
        super(String.join(", ", properties) + ": " + problem, cause);
        this.properties = List.copyOf(properties);
        this.problem = problem;
    }

    /** The properties involved, e.g. {@code junction.nodes[1].url}; the first one is the one to fix. */
    public List<String> properties() {
        return properties;
    }

    /** What is wrong and how to fix it, in the library's words. */
    public String problem() {
        return problem;
    }
}
