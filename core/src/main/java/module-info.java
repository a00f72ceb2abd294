/**
 * Junction's API: read, write and parallel units of work on jOOQ, consistency tokens, lookups and unit metrics.
 *
 * <p>Exports only the API packages ({@code dev.junction}, {@code dev.junction.lookup}, {@code dev.junction.metrics})
 * and the service-provider interface a router implements ({@code dev.junction.spi}); every {@code internal} package
 * stays unexported, so code on the module path cannot compile against it. Micrometer is needed only by
 * {@code dev.junction.metrics} (the unit meters and the {@code RouterMeterBinder} service, used only when a registry
 * is given) and is therefore {@code requires static}; so are {@code micrometer-observation} (tracing, used only when an
 * observation registry is given) and {@code context-propagation} (used when present). A router, and the binder of a router's own meters, are found
 * through {@link java.util.ServiceLoader} ({@code junction-routing} provides both).
 */
module dev.junction.core {
    requires transitive java.sql;
    requires transitive org.jooq;
    requires transitive org.jspecify;
    requires com.github.benmanes.caffeine;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires static micrometer.core;
    // Tracing (Junction.Builder.observationRegistry) and context propagation into parallel works; one internal
    // adapter class each touches them, and only when present.
    requires static micrometer.observation;
    requires static context.propagation;
    // jOOQ's Settings carry JAXB annotations: compile-time only, see core/pom.xml
    requires static jakarta.xml.bind;

    exports dev.junction;
    exports dev.junction.lookup;
    exports dev.junction.metrics;
    exports dev.junction.spi;

    uses dev.junction.spi.RouterProvider;
    // Meters of the router's own (routing decisions, pools, breakers), bound with Builder.meterRegistry(registry).
    uses dev.junction.metrics.RouterMeterBinder;
}
