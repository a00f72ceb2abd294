package dev.junction.spring;

import dev.junction.UnitListener;
import dev.junction.UnitReport;
import dev.junction.metrics.UnitMetrics;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.RoutingMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds Junction's meters to every registry Boot hands it: the router's ({@link RoutingMetrics}: routing decisions,
 * lag, node health, breakers, pools, HikariCP's and Resilience4j's own) and the units' ({@link UnitMetrics}: units,
 * statements, transactions, lints). The Database is built before any registry exists, so it gets {@link #listener()},
 * which forwards each unit report to the {@code UnitMetrics} of every bound registry. {@link #close()} (with the
 * context) removes the routing meters. Thread-safe.
 */
public final class JunctionMeterBinder implements MeterBinder, AutoCloseable {
    private final ClusterRouter router;
    private final List<UnitMetrics> units = new CopyOnWriteArrayList<>();
    private final List<RoutingMetrics> routing = new CopyOnWriteArrayList<>();
    private final UnitListener listener = this::forward;

    public JunctionMeterBinder(ClusterRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        routing.add(RoutingMetrics.bind(router, registry));
        units.add(new UnitMetrics(registry));
    }

    /** The unit listener to register on the Database builder. */
    UnitListener listener() {
        return listener;
    }

    private void forward(UnitReport report) {
        for (UnitMetrics u : units) {
            u.onUnitEnd(report);
        }
    }

    @Override
    public void close() {
        routing.forEach(RoutingMetrics::close);
        routing.clear();
        units.clear();
    }
}
