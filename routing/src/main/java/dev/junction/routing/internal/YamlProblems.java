package dev.junction.routing.internal;

import dev.junction.ConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The problems found in one configuration file, each as {@code file:line: key: message}, and the line of every key
 * read so far, so that a problem found later (by {@link ConfigValidator}, on the built configuration) can still be
 * placed on its line. One instance per read; not thread-safe.
 */
final class YamlProblems {
    private final String file;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Mark> marks = new HashMap<>();

    YamlProblems(String file) {
        this.file = file;
    }

    /** Adds {@code text} (which starts with the key) at {@code at}'s line. */
    void add(Mark at, String text) {
        errors.add(file + ":" + line(at) + ": " + text);
    }

    /** Adds a problem found on the built configuration at the line of the first of its keys that was read. */
    void add(ConfigProblem problem) {
        errors.add(locate(problem.path()) + ": " + problem);
    }

    /** Remembers where {@code path} was read, unless an earlier mark is kept ({@code replace} false). */
    void mark(String path, Mark at, boolean replace) {
        if (replace) {
            marks.put(path, at);
        } else {
            marks.putIfAbsent(path, at);
        }
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws ConfigurationException listing every problem, when there is any */
    void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        if (errors.size() == 1) {
            throw new ConfigurationException(errors.get(0));
        }
        throw new ConfigurationException(file + " has " + errors.size() + " problems:" + System.lineSeparator()
                + "  " + String.join(System.lineSeparator() + "  ", errors));
    }

    /** The file and line of the first path (or its closest read parent) that has a mark; the file alone if none. */
    private String locate(List<String> paths) {
        for (String p : paths) {
            for (String candidate = p; ; ) {
                Mark m = marks.get(candidate);
                if (m != null) {
                    return file + ":" + line(m);
                }
                int dot = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
                if (dot <= 0) {
                    break;
                }
                candidate = candidate.substring(0, dot);
            }
        }
        return file;
    }

    String file() {
        return file;
    }

    /** The 1-based line of a mark (SnakeYAML counts from 0). */
    static int line(Mark m) {
        return m.getLine() + 1;
    }

    /** What a node is, in the words of the messages. */
    static String kind(Node n) {
        return switch (n.getNodeId()) {
            case scalar -> "single value";
            case sequence -> "list";
            case mapping -> "mapping";
            default -> "reference";
        };
    }
}
