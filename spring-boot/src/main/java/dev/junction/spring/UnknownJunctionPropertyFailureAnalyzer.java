package dev.junction.spring;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports {@code junction.*} keys that match no property (a misspelt key must not fall back to a default), with
 * the keys known at the same place: {@code junction.pool.primary.maximum-size} gets the list of
 * {@code junction.pool.primary.*}. Runs before Boot's generic analyzer for unbound properties; returns nothing for
 * keys outside {@code junction.*}, which Boot reports as usual.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class UnknownJunctionPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    private static final List<String> KNOWN = known("junction", JunctionProperties.class, new ArrayList<>());

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        List<String> names = cause.getUnboundProperties().stream().map(ConfigurationProperty::getName)
                .map(Object::toString).sorted().toList();
        if (names.isEmpty() || !names.stream().allMatch(n -> n.startsWith(PropertyMapping.PREFIX))) {
            return null;
        }
        StringBuilder action = new StringBuilder("Remove or correct them: Junction refuses keys it does not know,"
                + " so that a misspelt key never falls back to a default.");
        for (String name : names) {
            String parent = parentOf(INDEX.matcher(name).replaceAll("[*]"));
            List<String> siblings = KNOWN.stream().filter(k -> parent.equals(parentOf(k))).toList();
            if (!siblings.isEmpty()) {
                action.append(System.lineSeparator()).append("Known keys beside ").append(name).append(": ")
                        .append(String.join(", ", new TreeSet<>(siblings)));
            }
        }
        return new FailureAnalysis("Unknown Junction properties: " + String.join(", ", names), action.toString(),
                cause);
    }

    private static String parentOf(String key) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    /** Every leaf key of {@code type} under {@code prefix}, lists as {@code [*]}. */
    private static List<String> known(String prefix, Class<?> type, List<String> out) {
        try {
            for (PropertyDescriptor d : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
                Method getter = d.getReadMethod();
                if (getter == null) {
                    continue;
                }
                String key = prefix + "." + dashed(d.getName());
                Class<?> t = getter.getReturnType();
                if (Collection.class.isAssignableFrom(t)
                        && getter.getGenericReturnType() instanceof ParameterizedType p
                        && p.getActualTypeArguments()[0] instanceof Class<?> element
                        && isPropertyClass(element)) {
                    known(key + "[*]", element, out);
                } else if (isPropertyClass(t)) {
                    known(key, t, out);
                } else {
                    out.add(key);
                }
            }
        } catch (IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** A class of the starter's own holding nested keys (JunctionProperties' sections), not a value type. */
    private static boolean isPropertyClass(Class<?> type) {
        return type.getPackageName().equals(JunctionProperties.class.getPackageName()) && !type.isEnum();
    }

    private static String dashed(String name) {
        return name.replaceAll("([A-Z])([A-Z][a-z])", "$1-$2").replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }
}
