package dev.junction.internal.unit;

import dev.junction.metrics.RouterMeterBinder;
import dev.junction.spi.ConnectionRouter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * Finds the {@link RouterMeterBinder} that knows a router. Only called when a meter registry was given, so Micrometer
 * is on the class path whenever this class is loaded. Stateless and thread-safe.
 */
public final class Meters {
    private Meters() {
    }

    /** The first binding a registered binder makes for {@code router}, or null when none knows it. */
    public static @Nullable AutoCloseable bindRouter(ConnectionRouter router, MeterRegistry registry) {
        for (RouterMeterBinder binder : ServiceLoader.load(RouterMeterBinder.class, Meters.class.getClassLoader())) {
            AutoCloseable binding = binder.bind(router, registry);
            if (binding != null) {
                return binding;
            }
        }
        return null;
    }
}
