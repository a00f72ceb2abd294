package dev.junction.routing.internal;

import static dev.junction.routing.internal.YamlProblems.kind;

import dev.junction.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of the file. Remembers the keys the reader asked for, so that {@link #finish()} refuses every other key
 * with its line (and "did you mean" when a known key is close), and reports each problem with the value's line and
 * the key's full path. Values pass through {@code ${...}} substitution. Not thread-safe.
 */
final class YamlSection {
    // The builders name their Java field ("monitorTimeout must be >= 1s"); the file's key is already in front.
    private static final Pattern JAVA_FIELD = Pattern.compile("[A-Za-z]+ (must .*)", Pattern.DOTALL);

    private final String path;
    private final Mark mark;
    private final YamlProblems problems;
    private final EnvSubstitution substitution;
    private final YamlKeyLog keyLog;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    YamlSection(String path, MappingNode node, Mark mark, YamlProblems problems, EnvSubstitution substitution,
                YamlKeyLog keyLog) {
        this.path = path;
        this.keyLog = keyLog;
        this.mark = mark;
        this.problems = problems;
        this.substitution = substitution;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.add(t.getKeyNode().getStartMark(), (path.isEmpty() ? "(top)" : path)
                        + ": keys must be plain words, but found a " + kind(t.getKeyNode()));
                continue;
            }
            NodeTuple previous = entries.putIfAbsent(key.getValue(), t);
            if (previous != null) {
                problems.add(key.getStartMark(), child(key.getValue()) + ": duplicate key (first set on line "
                        + YamlProblems.line(previous.getKeyNode().getStartMark()) + "); keep one");
            }
        }
        if (!path.isEmpty()) {
            problems.mark(path, mark, false);
        }
    }

    /** Where this mapping starts. */
    Mark mark() {
        return mark;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** True when {@code key} is present with a non-null value; marks the key as known either way. */
    boolean has(String key) {
        known.add(key);
        keyLog.value(child(key));
        NodeTuple t = entries.get(key);
        return t != null && !isNull(t.getValueNode());
    }

    @Nullable Node get(String key) {
        known.add(key);
        keyLog.value(child(key));
        NodeTuple t = entries.get(key);
        if (t == null || isNull(t.getValueNode())) {
            return null;
        }
        problems.mark(child(key), t.getValueNode().getStartMark(), true);
        return t.getValueNode();
    }

    @Nullable String scalar(String key) {
        Node n = get(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof ScalarNode s)) {
            problems.add(n.getStartMark(), child(key) + ": expected a single value, but found a " + kind(n));
            return null;
        }
        try {
            return substitution.apply(s.getValue());
        } catch (IllegalArgumentException e) {
            problems.add(n.getStartMark(), child(key) + ": " + e.getMessage());
            return null;
        }
    }

    @Nullable String require(String key) {
        String v = scalar(key);
        if (v == null && !has(key)) {
            problems.add(mark, child(key) + ": missing");
        }
        return v;
    }

    /** The parsed value, or null (with the problem recorded) when absent or unreadable. */
    <T> @Nullable T parse(String key, Function<String, T> parser) {
        String v = scalar(key);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            refuse(key, e.getMessage());
            return null;
        }
    }

    /**
     * Parses {@code key}, when present, and hands it to a builder's setter; the setter's
     * {@link ConfigurationException} (the one check of that option) is recorded at the value's line.
     */
    <T> void set(String key, Function<String, T> parser, Consumer<T> setter) {
        if (!has(key)) {
            return;
        }
        T value = parse(key, parser);
        if (value != null) {
            apply(key, () -> setter.accept(value));
        }
    }

    /** Runs a builder call for {@code key}; false, with the problem recorded at the key's line, when it refuses. */
    boolean apply(String key, Runnable builderCall) {
        try {
            builderCall.run();
            return true;
        } catch (ConfigurationException e) {
            refuse(key, e.getMessage());
            return false;
        }
    }

    /** Records {@code message} for {@code key} at its value's line (this mapping's when the key is absent). */
    void refuse(String key, String message) {
        NodeTuple t = entries.get(key);
        Mark m = t != null ? t.getValueNode().getStartMark() : mark;
        Matcher javaName = JAVA_FIELD.matcher(message);
        String text = javaName.matches() ? javaName.group(1) : message;
        problems.add(m, child(key) + ": " + text);
    }

    @Nullable YamlSection section(String key) {
        keyLog.container(child(key), YamlKeyLog.Kind.SECTION);
        Node n = get(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof MappingNode m)) {
            problems.add(n.getStartMark(), child(key) + ": expected nested keys, but found a " + kind(n));
            return null;
        }
        return new YamlSection(child(key), m, entries.get(key).getKeyNode().getStartMark(), problems, substitution,
                keyLog);
    }

    /** A nested mapping that is an item of a list, such as {@code nodes[0]}. */
    YamlSection item(String itemPath, MappingNode node) {
        return new YamlSection(itemPath, node, node.getStartMark(), problems, substitution, keyLog);
    }

    @Nullable List<Node> sequence(String key) {
        keyLog.container(child(key), YamlKeyLog.Kind.LIST);
        Node n = get(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof SequenceNode s)) {
            problems.add(n.getStartMark(), child(key) + ": expected a list ('- ...'), but found a " + kind(n));
            return null;
        }
        problems.mark(child(key), entries.get(key).getKeyNode().getStartMark(), true);
        return s.getValue();
    }

    /** Refuses every key of this mapping that the reader did not ask for. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (known.contains(e.getKey())) {
                continue;
            }
            String suggestion = Suggestions.closest(e.getKey(), known);
            problems.add(e.getValue().getKeyNode().getStartMark(), child(e.getKey()) + ": unknown key"
                    + (suggestion != null ? "; did you mean '" + suggestion + "'?"
                    : "; known keys here: " + String.join(", ", known)));
        }
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }
}
