package dev.junction.spring;

import dev.junction.Junction;

/**
 * A bean that adjusts the {@link Junction.Builder} of the starter's Database before it is built: lookups, unit
 * listeners, jOOQ settings, anything {@code junction.database.*} does not cover. Called after the properties were
 * applied, in {@code @Order} order; a value set here wins over the property.
 */
@FunctionalInterface
public interface JunctionBuilderCustomizer {
    void customize(Junction.Builder builder);
}
