/**
 * Junction's routing layer: the topology of a PostgreSQL primary and its replicas, with pools, health and lag
 * monitor, replica selection, resilience and configuration.
 *
 * <p>Exports only {@code dev.junction.routing}; {@code dev.junction.routing.internal} stays unexported (tools reach
 * the router's checks through {@code dev.junction.routing.Diagnostics}). Micrometer and Resilience4j's Micrometer
 * binding are needed only by {@code RoutingMetrics} (and by the meter binder, which core loads only when a registry is
 * given) and are therefore {@code requires static}. Provides, through the service loader, the {@code junction.yaml}
 * router to {@code dev.junction.Junction} and the binder of the router's meters to
 * {@code Junction.builder().meterRegistry(registry)}.
 */
module dev.junction.routing {
    requires transitive dev.junction.core;
    requires com.zaxxer.hikari;
    requires io.github.resilience4j.bulkhead;
    requires io.github.resilience4j.circuitbreaker;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires static io.github.resilience4j.micrometer;
    requires static micrometer.core;

    exports dev.junction.routing;

    provides dev.junction.spi.RouterProvider with dev.junction.routing.internal.YamlRouterProvider;
    provides dev.junction.metrics.RouterMeterBinder with dev.junction.routing.internal.RoutingMeterBinder;
}
