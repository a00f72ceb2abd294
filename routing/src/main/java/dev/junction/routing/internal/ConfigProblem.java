package dev.junction.routing.internal;

import java.util.List;

/**
 * One thing wrong with a configuration.
 *
 * @param path    the key(s) involved, as in the file: {@code nodes[1].url}; the first is used to find a line number
 * @param message what is wrong and how to fix it
 */
public record ConfigProblem(List<String> path, String message) {
    public ConfigProblem {
        path = List.copyOf(path);
    }

    public static ConfigProblem of(String path, String message) {
        return new ConfigProblem(List.of(path), message);
    }

    @Override
    public String toString() {
        return String.join(", ", path) + ": " + message;
    }
}
