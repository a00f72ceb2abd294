package dev.junction.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In a reactive (WebFlux) web application, the consistency-token {@link ConsistencyWebFilter}, so read-your-writes
 * across requests needs no code beyond running Junction's blocking calls through
 * {@link ReactiveConsistency#blocking}. Absent unless the application is reactive and Reactor is on the class path;
 * switched off with {@code junction.enabled=false} or {@code junction.web.consistency-filter=false}.
 */
@AutoConfiguration(after = JunctionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "junction.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono"})
public final class JunctionWebFluxAutoConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "junction.web.consistency-filter", matchIfMissing = true)
    ConsistencyWebFilter junctionConsistencyWebFilter() {
        return new ConsistencyWebFilter();
    }
}
