package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one check every configuration type's test runs on {@code from}: a copy of a value with no default left equals
 * it, and changing any single option makes it differ. The changes must name every field of the type, so an option
 * added later without a line here (or without a line in {@code from} and {@code equals}) fails the test.
 */
final class ConfigCopies {
    private ConfigCopies() {
    }

    /**
     * @param full    a value where every option differs from its default, so a field {@code from} drops shows
     * @param from    the type's {@code from(existing)}
     * @param build   the builder's {@code build()}
     * @param changes one change per field, keyed by the field's name
     */
    static <T, B> void assertFromCarriesEveryField(T full, Function<T, B> from, Function<B, T> build,
                                                   Map<String, UnaryOperator<B>> changes) {
        T copy = build.apply(from.apply(full));
        assertThat(copy).isEqualTo(full).hasSameHashCodeAs(full).hasToString(full.toString());
        assertThat(changes.keySet()).as("one change per field of " + full.getClass().getSimpleName())
                .containsExactlyInAnyOrder(fieldNames(full.getClass()));
        changes.forEach((field, change) -> {
            T changed = build.apply(change.apply(from.apply(full)));
            assertThat(changed).as("a copy with another " + field).isNotEqualTo(full);
            assertThat(build.apply(from.apply(changed))).as("a copy of the copy with another " + field)
                    .isEqualTo(changed);
        });
    }

    private static String[] fieldNames(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName).toArray(String[]::new);
    }
}
