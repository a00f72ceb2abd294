package dev.junction.metrics;

import dev.junction.spi.ConnectionRouter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters a router publishes of its own (routing decisions, node health and lag, pools, breakers), so that
 * {@link dev.junction.Junction.Builder#meterRegistry} binds them together with the {@link UnitMetrics} in one call.
 * Found with {@link java.util.ServiceLoader}, and only when a registry is given: routing registers one for its
 * {@code ClusterRouter}. A separate service rather than a method of the router keeps Micrometer's types out of the
 * router's own signatures, so a router can be inspected by reflection (as dependency-injection containers do) where
 * Micrometer is absent. Implementations are thread-safe.
 */
public interface RouterMeterBinder {

    /**
     * Registers {@code router}'s meters in {@code registry}, when this binder knows the router's type.
     *
     * @return the binding, whose {@code close()} removes those meters from the registry (the Database closes it
     *         before the router); null when this binder does not handle {@code router}
     */
    @Nullable AutoCloseable bind(ConnectionRouter router, MeterRegistry registry);
}
