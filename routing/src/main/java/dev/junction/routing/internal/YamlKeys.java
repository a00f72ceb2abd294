package dev.junction.routing.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Every key {@code junction.yaml} accepts, taken from {@link YamlConfigReader} itself rather than from a list kept
 * beside it, so the two cannot drift apart. Stateless.
 */
public final class YamlKeys {
    private YamlKeys() {
    }

    /**
     * Every key the reader accepts, as its path ({@code replicaLag.max}, {@code nodes[].pool.maximumPoolSize}: an
     * item of a list is {@code []}), in the order the reader reads them; sections and lists themselves are not
     * listed, only the keys that take a value. It reads a document holding every section it asks for (found by
     * reading, adding the sections asked for, and reading again until no new one is asked for) and lists the keys it
     * asked for there.
     */
    public static List<String> all() {
        Map<String, Object> document = new LinkedHashMap<>();
        while (true) {
            Map<String, YamlKeyLog.Kind> asked = YamlConfigReader.keysAsked(new Yaml().dump(document));
            boolean grown = false;
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, YamlKeyLog.Kind> e : asked.entrySet()) {
                if (e.getValue() == YamlKeyLog.Kind.VALUE) {
                    values.add(e.getKey());
                } else {
                    grown |= addContainer(document, e.getKey(), e.getValue());
                }
            }
            if (!grown) {
                return List.copyOf(values);
            }
        }
    }

    /** Adds an empty mapping (or a list of one) at {@code path}; false when it is there already. */
    @SuppressWarnings("unchecked")
    private static boolean addContainer(Map<String, Object> document, String path, YamlKeyLog.Kind kind) {
        Map<String, Object> at = document;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            Object next = at.get(part.endsWith("[]") ? part.substring(0, part.length() - 2) : part);
            if (next instanceof List<?> list) {
                next = list.get(0);
            }
            if (!(next instanceof Map<?, ?>)) {
                return false; // its parent is not in the document yet; added in a later round
            }
            at = (Map<String, Object>) next;
        }
        String last = parts[parts.length - 1];
        if (at.containsKey(last)) {
            return false;
        }
        at.put(last, kind == YamlKeyLog.Kind.LIST ? new ArrayList<>(List.of(new LinkedHashMap<>()))
                : new LinkedHashMap<>());
        return true;
    }
}
