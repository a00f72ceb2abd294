package dev.junction.spring;

import dev.junction.ConfigurationException;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Intent;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Configures Junction from {@code junction.*} ({@link JunctionProperties}): the {@link ClusterRouter} and the
 * {@link Database} (closed with the context, and with them every pool, the monitor thread and every connection), an
 * unpooled DataSource on the primary for migrations ({@code @FlywayDataSource}, so {@code spring.flyway.*} runs
 * against the primary), and, when their modules are present, the {@code junction} health indicator, the meters and
 * the consistency-token servlet filter, and tracing of every unit of work when an {@link ObservationRegistry} bean
 * exists (Boot's observation auto-configuration makes one). Runs before Boot's DataSource and Flyway auto-configuration, so the
 * primary's DataSource is the application's unless it defines its own.
 */
@AutoConfiguration(beforeName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "junction.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JunctionProperties.class)
public final class JunctionAutoConfiguration {

    /** The routing configuration the properties describe; a bad value fails start-up naming its property. */
    @Bean
    RoutingConfig junctionRoutingConfig(JunctionProperties properties) {
        return PropertyMapping.routingConfig(properties);
    }

    /**
     * Checks every node (reachable, in its role, connection budget) and starts the pools and the monitor. A refusal
     * names the properties involved ({@link InvalidJunctionPropertyException}).
     */
    @Bean(destroyMethod = "close")
    ClusterRouter junctionRouter(RoutingConfig config) {
        try {
            return ClusterRouter.create(config);
        } catch (ConfigurationException e) {
            throw PropertyMapping.fromRouting(e);
        }
    }

    @Bean(destroyMethod = "close")
    Database junctionDatabase(ClusterRouter router, RoutingConfig config,
                              ObjectProvider<JunctionBuilderCustomizer> customizers) {
        Junction.Builder builder = Junction.builder().router(router).settings(config.database());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return new SpringDatabase(builder.build());
    }

    /** Flyway present: the primary's DataSource qualified for it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FlywayDataSource.class)
    static class FlywayPrimary {
        @Bean
        @FlywayDataSource
        DataSource junctionPrimaryDataSource(RoutingConfig config, ClusterRouter router) {
            return new PrimaryDataSource(config, router);
        }
    }

    /** No Flyway: the same DataSource, without the qualifier's annotation type. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.flyway.autoconfigure.FlywayDataSource")
    static class PlainPrimary {
        @Bean
        DataSource junctionPrimaryDataSource(RoutingConfig config, ClusterRouter router) {
            return new PrimaryDataSource(config, router);
        }
    }

    /**
     * Existing Spring JDBC code routed without rewrites ({@code junction.routing-data-source=true}): the connection
     * is taken lazily, at the first statement, once the transaction's read-only flag is known (Spring's
     * {@link LazyConnectionDataSourceProxy}); a read-only transaction then holds one replica lease for its whole
     * length, anything else a primary lease. Lag exclusion, breakers and the fallback policy apply as for
     * {@code db.read}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy")
    @ConditionalOnBooleanProperty(name = "junction.routing-data-source")
    static class Routing {
        @Bean
        @Primary
        DataSource junctionRoutingDataSource(ClusterRouter router) {
            LazyConnectionDataSourceProxy proxy = new LazyConnectionDataSourceProxy(
                    new LeaseDataSource(router, Intent.WRITE));
            proxy.setReadOnlyDataSource(new LeaseDataSource(router, Intent.READ));
            // Known up front, so the proxy never takes a connection just to learn them: pool connections are in
            // autocommit at PostgreSQL's default isolation.
            proxy.setDefaultAutoCommit(true);
            proxy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return proxy;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("junction")
    static class Health {
        /** Named {@code junction} on the health endpoint (the bean name without "HealthIndicator"). */
        @Bean
        JunctionHealthIndicator junctionHealthIndicator(ClusterRouter router) {
            return new JunctionHealthIndicator(router);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean(destroyMethod = "close")
        JunctionMeterBinder junctionMeterBinder(ClusterRouter router) {
            return new JunctionMeterBinder(router);
        }

        /** Unit meters: the Database reports each unit to the registries the binder was bound to. */
        @Bean
        JunctionBuilderCustomizer junctionUnitMetrics(JunctionMeterBinder binder) {
            return builder -> builder.unitListener(binder.listener());
        }
    }

    /**
     * Tracing: the application's {@link ObservationRegistry} (Boot's, with Micrometer Tracing's handlers when a tracer
     * bridge is present) is handed to the builder, so every unit of work is a {@code junction.unit} observation. A
     * registry is an object, not a property: there is no {@code junction.*} key for it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    static class Observations {
        @Bean
        JunctionBuilderCustomizer junctionObservations(ObjectProvider<ObservationRegistry> registry) {
            return builder -> registry.ifAvailable(builder::observationRegistry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter"})
    @ConditionalOnBooleanProperty(name = "junction.web.consistency-filter", matchIfMissing = true)
    static class Web {
        @Bean
        ConsistencyFilter junctionConsistencyFilter() {
            return new ConsistencyFilter();
        }
    }
}
