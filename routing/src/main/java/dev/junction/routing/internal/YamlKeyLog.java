package dev.junction.routing.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every key path the reader asked for during one read, present in the file or not, with what it asked for: a value,
 * nested keys or a list. List items are written {@code []} ({@code nodes[].pool.maximumPoolSize}), whatever their
 * index. {@link YamlConfigReader#keys()} reads it to list the keys the reader accepts from the reader itself. One
 * instance per read; not thread-safe.
 */
final class YamlKeyLog {
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    /** What the reader asked a key for. */
    enum Kind {
        VALUE, SECTION, LIST
    }

    private final Map<String, Kind> asked = new LinkedHashMap<>();

    /** A key asked for as a value; asked for later as a section or list, it stays one. */
    void value(String path) {
        asked.putIfAbsent(normal(path), Kind.VALUE);
    }

    /** A key asked for as nested keys ({@code kind} SECTION) or as a list. */
    void container(String path, Kind kind) {
        asked.put(normal(path), kind);
    }

    /** The paths in the order they were first asked for. */
    Map<String, Kind> asked() {
        return Collections.unmodifiableMap(asked);
    }

    private static String normal(String path) {
        return INDEX.matcher(path).replaceAll("[]");
    }
}
