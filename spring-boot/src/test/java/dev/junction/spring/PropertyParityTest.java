package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.ConfigurationException;
import dev.junction.routing.ConfigLoader;
import dev.junction.routing.RoutingConfig;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.Yaml;

/**
 * Configuration parity (issue 19): every key {@code junction.yaml} accepts has a {@code junction.*} property that sets
 * the same thing. The keys come from the reader itself ({@link ConfigLoader#keys()}), so a key added to the reader
 * fails this test until the starter offers it; nothing here lists keys. For each key, one value other than the
 * default is set in a file and in properties, and the two {@link RoutingConfig}s must be equal; a value the builders
 * refuse must be refused with the same message, naming the property. Values are picked by the property's type from a
 * few candidates (the first the file accepts and that changes the configuration).
 */
class PropertyParityTest {
    /** Where a list key ({@code nodes[].weight}) is set: on the replica, so the primary's role stays given. */
    private static final int NODE = 1;
    private static final Pattern SINGLE_PROBLEM = Pattern.compile("junction\\.yaml:\\d+: (\\S+): (.*)",
            Pattern.DOTALL);
    private static final Map<Class<?>, List<String>> VALID = Map.of(
            Duration.class, List.of("3s", "45s"),
            Integer.class, List.of("3", "7"),
            Double.class, List.of("0.5", "3"),
            Float.class, List.of("25"),
            Boolean.class, List.of("true", "false"),
            DataSize.class, List.of("64MB"),
            String.class, List.of("replica-9", "jdbc:postgresql://db-9:5433/app"));
    /** Values some builder refuses (those the file cannot even parse are Boot's conversion's to report). */
    private static final Map<Class<?>, List<String>> INVALID = Map.of(
            Duration.class, List.of("0ms", "2h"),
            Integer.class, List.of("-1", "0"),
            Double.class, List.of("-1", "1.5"),
            Float.class, List.of("-1", "101"),
            String.class, List.of("no such url", "-"));

    /** The file every case starts from: credentials and a primary with one replica. */
    private static Map<String, Object> baseDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("credentials", new LinkedHashMap<>(Map.of("user", "app")));
        List<Object> nodes = new ArrayList<>();
        nodes.add(new LinkedHashMap<>(Map.of("name", "primary", "url", "jdbc:postgresql://db-1/app",
                "role", "primary")));
        nodes.add(new LinkedHashMap<>(Map.of("name", "replica-1", "url", "jdbc:postgresql://db-2/app",
                "role", "replica")));
        doc.put("nodes", nodes);
        return doc;
    }

    @Test
    void theBaseFileAndItsPropertiesGiveEqualConfigurations() {
        // covers the keys the base file sets itself: credentials.user, nodes[].name, url and role
        assertThat(fromProperties(Map.of())).isEqualTo(fromFile(null, null));
    }

    @Test
    void everyKeyOfJunctionYamlHasAPropertyThatSetsTheSameSetting() {
        RoutingConfig defaults = fromFile(null, null);
        Set<String> inBase = leafKeys(baseDocument(), "");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String key : ConfigLoader.keys()) {
            if (inBase.contains(key)) {
                continue;
            }
            String property = property(key);
            Class<?> type = propertyType(key);
            if (type == null) {
                problems.add(key + ": no property " + property + " in JunctionProperties");
                continue;
            }
            String value = null;
            RoutingConfig fromFile = null;
            for (String candidate : candidates(type, VALID)) {
                RoutingConfig c = tryFile(key, candidate);
                if (c != null && !c.equals(defaults)) {
                    value = candidate;
                    fromFile = c;
                    break;
                }
            }
            if (fromFile == null) {
                problems.add(key + ": no candidate value of " + type.getSimpleName() + " that the file accepts and"
                        + " that changes the configuration; add one to VALID");
                continue;
            }
            try {
                RoutingConfig fromProperties = fromProperties(Map.of(property, value));
                if (!fromProperties.equals(fromFile)) {
                    problems.add(key + ": " + property + "=" + value + " does not set what the file's " + key + ": "
                            + value + " sets");
                }
            } catch (RuntimeException e) {
                problems.add(key + ": " + property + "=" + value + " refused: " + e);
            }
            checked++;
        }
        assertThat(problems).as("keys of junction.yaml without their junction.* property").isEmpty();
        assertThat(checked).as("keys checked").isGreaterThan(50);
    }

    @Test
    void aValueTheBuildersRefuseIsRefusedWithTheFilesMessageNamingTheProperty() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String key : ConfigLoader.keys()) {
            Class<?> type = propertyType(key);
            if (type == null) {
                continue; // reported by the test above
            }
            for (String candidate : candidates(type, INVALID)) {
                String fileMessage = fileRefusal(key, candidate);
                if (fileMessage == null) {
                    continue;
                }
                Matcher m = SINGLE_PROBLEM.matcher(fileMessage);
                if (!m.matches() || !m.group(1).equals(indexed(key))) {
                    continue;
                }
                String property = property(key);
                try {
                    fromProperties(Map.of(property, candidate));
                    problems.add(property + "=" + candidate + " was accepted; the file refuses it: " + fileMessage);
                } catch (InvalidJunctionPropertyException e) {
                    // a check across keys is the routing module's, in front of its own key list
                    if (!e.properties().get(0).equals(property)
                            || !e.getMessage().endsWith(property + ": " + m.group(2))) {
                        problems.add(property + "=" + candidate + ": " + e.getMessage() + " but the file says "
                                + m.group(1) + ": " + m.group(2));
                    }
                } catch (RuntimeException e) {
                    problems.add(property + "=" + candidate + " refused otherwise: " + e);
                }
                checked++;
                break;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("keys checked with a refused value").isGreaterThan(25);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theIdesMetadataDescribesEveryPropertyOfAKeyOutsideTheNodeList() throws Exception {
        String json;
        try (var in = PropertyParityTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata generated by Boot's processor").isNotNull();
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (Object o : (List<Object>) JsonParserFactory.getJsonParser().parseMap(json).get("properties")) {
            Map<String, Object> p = (Map<String, Object>) o;
            descriptions.put((String) p.get("name"), String.valueOf(p.getOrDefault("description", "")));
        }
        List<String> undescribed = ConfigLoader.keys().stream().filter(k -> !k.startsWith("nodes[]"))
                .map(PropertyParityTest::property).filter(p -> descriptions.getOrDefault(p, "").isBlank()).toList();
        assertThat(undescribed).as("properties without a description in the metadata").isEmpty();
    }

    private static List<String> candidates(Class<?> type, Map<Class<?>, List<String>> table) {
        if (type.isEnum()) {
            return table == VALID ? Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() : List.of();
        }
        return table.getOrDefault(type, List.of());
    }

    private static @Nullable RoutingConfig tryFile(String key, String value) {
        try {
            return fromFile(key, value);
        } catch (ConfigurationException e) {
            return null;
        }
    }

    private static @Nullable String fileRefusal(String key, String value) {
        try {
            fromFile(key, value);
            return null;
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
    }

    /** The base file with {@code key} set to {@code value} (none when null), read by junction.yaml's reader. */
    @SuppressWarnings("unchecked")
    private static RoutingConfig fromFile(@Nullable String key, @Nullable String value) {
        Map<String, Object> doc = baseDocument();
        if (key != null) {
            Map<String, Object> at = doc;
            String[] parts = key.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                String part = parts[i];
                if (part.endsWith("[]")) {
                    at = (Map<String, Object>) ((List<Object>) at.get(part.substring(0, part.length() - 2)))
                            .get(NODE);
                } else {
                    at = (Map<String, Object>) at.computeIfAbsent(part, p -> new LinkedHashMap<>());
                }
            }
            at.put(parts[parts.length - 1], value);
        }
        return ConfigLoader.parse(new Yaml().dump(doc), "junction.yaml", Map.of());
    }

    /** The base file's properties plus {@code extra}, bound as Boot binds them (unknown keys refused), mapped. */
    private static RoutingConfig fromProperties(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("junction.credentials.user", "app");
        p.put("junction.nodes[0].name", "primary");
        p.put("junction.nodes[0].url", "jdbc:postgresql://db-1/app");
        p.put("junction.nodes[0].role", "primary");
        p.put("junction.nodes[1].name", "replica-1");
        p.put("junction.nodes[1].url", "jdbc:postgresql://db-2/app");
        p.put("junction.nodes[1].role", "replica");
        p.putAll(extra);
        JunctionProperties properties;
        try {
            properties = new Binder(new MapConfigurationPropertySource(p)).bind("junction",
                    Bindable.of(JunctionProperties.class),
                    new NoUnboundElementsBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler())).get();
        } catch (BindException e) {
            throw new IllegalStateException(e.getMessage() + ": " + e.getCause(), e);
        }
        return PropertyMapping.routingConfig(properties);
    }

    /** {@code nodes[].directUrl} as the property: {@code junction.nodes[1].direct-url}. */
    private static String property(String key) {
        return PropertyMapping.property(indexed(key));
    }

    private static String indexed(String key) {
        return key.replace("[]", "[" + NODE + "]");
    }

    /** The Java type of the property for {@code key}, following JunctionProperties' getters; null when none. */
    private static @Nullable Class<?> propertyType(String key) {
        Class<?> type = JunctionProperties.class;
        for (String part : key.split("\\.")) {
            boolean list = part.endsWith("[]");
            String name = list ? part.substring(0, part.length() - 2) : part;
            PropertyDescriptor d = descriptor(type, name);
            if (d == null || d.getReadMethod() == null) {
                return null;
            }
            if (list) {
                if (!(d.getReadMethod().getGenericReturnType() instanceof ParameterizedType p)
                        || !(p.getActualTypeArguments()[0] instanceof Class<?> element)) {
                    return null;
                }
                type = element;
            } else {
                type = d.getPropertyType();
            }
        }
        return type;
    }

    private static @Nullable PropertyDescriptor descriptor(Class<?> type, String name) {
        try {
            for (PropertyDescriptor d : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
                // the file's key and the bean property are both camel case; Introspector decapitalizes nPlusOne
                if (d.getName().equalsIgnoreCase(name)) {
                    return d;
                }
            }
            return null;
        } catch (IntrospectionException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> leafKeys(Map<String, Object> doc, String prefix) {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) {
                out.addAll(leafKeys((Map<String, Object>) m, path + "."));
            } else if (e.getValue() instanceof List<?> items) {
                for (Object item : items) {
                    out.addAll(leafKeys((Map<String, Object>) item, path + "[]."));
                }
            } else {
                out.add(path);
            }
        }
        return out;
    }
}
