package dev.junction.spring;

import java.util.Locale;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start-up refused by Junction with the property to change and the fix: a bad {@code junction.*} value,
 * an unreachable node, a node in the wrong role, a connection budget over {@code max_connections}. The description
 * is the library's message with its keys as properties ({@code junction.nodes[1].url}); the action names the
 * properties and says where they are set.
 */
public final class JunctionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidJunctionPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidJunctionPropertyException cause) {
        String first = cause.properties().get(0);
        // A routing problem names its properties itself; a single value's problem does not.
        String description = "Junction refused its configuration: " + (cause.problem().contains(first)
                ? cause.problem() : cause.getMessage());
        String action = "Change " + String.join(", ", cause.properties()) + " in application.yaml (or"
                + " application.properties, or the environment variable "
                + first.toUpperCase(Locale.ROOT).replaceAll("[.\\-\\[\\]]+", "_").replaceAll("_$", "")
                + ") as the message above says; the junction.* properties are listed in docs/spring-boot.md.";
        return new FailureAnalysis(description, action, cause);
    }
}
