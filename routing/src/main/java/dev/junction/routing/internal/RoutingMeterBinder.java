package dev.junction.routing.internal;

import dev.junction.metrics.RouterMeterBinder;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.RoutingMetrics;
import dev.junction.spi.ConnectionRouter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Registered with ServiceLoader so that {@code Junction.builder().meterRegistry(registry)} binds
 * {@link RoutingMetrics} for a {@link ClusterRouter}. Loaded only when a registry is given.
 */
public final class RoutingMeterBinder implements RouterMeterBinder {

    @Override
    public @Nullable AutoCloseable bind(ConnectionRouter router, MeterRegistry registry) {
        return router instanceof ClusterRouter cluster ? RoutingMetrics.bind(cluster, registry) : null;
    }
}
