package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetricsPublisher;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetricsPublisher;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the meters that HikariCP and Resilience4j publish themselves for one node: HikariCP's Micrometer tracker
 * ({@code hikaricp.connections.*}, tag {@code pool}) and Resilience4j's tagged circuit breaker and bulkhead meters
 * ({@code resilience4j.circuitbreaker.*}, {@code resilience4j.bulkhead.*}, tag {@code name}); both name the node's
 * pool, {@code junction-<node>}.
 *
 * <p>HikariCP takes one tracker factory per pool, once. So each pool gets a {@link CompositeMeterRegistry} of its own
 * the first time it is bound, and every binding adds its registry to that composite and removes it again on close:
 * the pool can be bound to several registries and re-bound after a close. Thread-safe.
 */
public final class NodeMeters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeMeters.class);

    private final NodeRuntime node;
    private final MeterRegistry registry;
    private final @Nullable PoolBridge pool;
    private final TaggedCircuitBreakerMetricsPublisher breakerMeters;
    private final TaggedBulkheadMetricsPublisher bulkheadMeters;

    private NodeMeters(NodeRuntime node, MeterRegistry registry) {
        this.node = node;
        this.registry = registry;
        this.pool = PoolBridge.of(node.dataSource());
        if (pool != null) {
            pool.composite.add(registry);
        } else {
            log.info("pool '{}' already reports to a metrics tracker Junction did not install; its hikaricp.* meters"
                    + " are not bound", node.poolName());
        }
        this.breakerMeters = new TaggedCircuitBreakerMetricsPublisher(registry);
        this.bulkheadMeters = new TaggedBulkheadMetricsPublisher(registry);
        breakerMeters.publishMetrics(node.breaker());
        bulkheadMeters.publishMetrics(node.bulkhead());
    }

    /** Registers the node's HikariCP and Resilience4j meters in {@code registry}. */
    public static NodeMeters bind(NodeRuntime node, MeterRegistry registry) {
        return new NodeMeters(node, registry);
    }

    /** Removes this binding's meters from its registry. */
    @Override
    public void close() {
        breakerMeters.removeMetrics(node.breaker());
        bulkheadMeters.removeMetrics(node.bulkhead());
        if (pool != null) {
            pool.composite.remove(registry);
            // leaving the composite stops the forwarding but leaves the registry's copies behind
            for (Meter meter : pool.composite.getMeters()) {
                registry.removeByPreFilterId(meter.getId());
            }
        }
    }

    /** The tracker factory Junction installs on a pool: HikariCP's own, publishing into a composite registry. */
    private static final class PoolBridge implements MetricsTrackerFactory {
        final CompositeMeterRegistry composite = new CompositeMeterRegistry();
        private final MicrometerMetricsTrackerFactory delegate = new MicrometerMetricsTrackerFactory(composite);

        @Override
        public IMetricsTracker create(String poolName, PoolStats poolStats) {
            return delegate.create(poolName, poolStats);
        }

        /** The pool's bridge, installed on first use; null when the pool reports to someone else's tracker. */
        static @Nullable PoolBridge of(HikariDataSource dataSource) {
            synchronized (dataSource) {
                MetricsTrackerFactory current = dataSource.getMetricsTrackerFactory();
                if (current instanceof PoolBridge bridge) {
                    return bridge;
                }
                if (current != null || dataSource.getMetricRegistry() != null) {
                    return null;
                }
                PoolBridge bridge = new PoolBridge();
                dataSource.setMetricsTrackerFactory(bridge);
                return bridge;
            }
        }
    }
}
