package dev.junction.spring;

import dev.junction.ConsistencySession;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link ConsistencyFilter}: restores the {@value ConsistencySession#HEADER} request
 * header into the request's {@link ConsistencySession} (absent: eventual reads; valid: reads after that write;
 * malformed or tampered with: the router's bad-token policy, by default the primary), puts it in the Reactor context
 * of the request's chain, where {@link ReactiveConsistency#blocking} hands it to the Database bean, and writes the
 * session's token on the response just before the response is committed: the one the client sent, or the merged
 * token of every commit recorded before then. A write that completes after the response was committed (a streamed
 * body) is not on the response. Stateless and thread-safe; runs early ({@link #ORDER}).
 */
public final class ConsistencyWebFilter implements WebFilter, Ordered {
    /** As {@link ConsistencyFilter#ORDER}. */
    public static final int ORDER = ConsistencyFilter.ORDER;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ConsistencySession session = ConsistencySession.restore(
                exchange.getRequest().getHeaders().getFirst(ConsistencySession.HEADER));
        ServerHttpResponse response = exchange.getResponse();
        // The session is read when the headers are about to go out, so every commit recorded until then is on it;
        // the session is thread-safe, the commits are recorded on bounded-elastic threads.
        response.beforeCommit(() -> {
            session.encoded().ifPresent(token -> response.getHeaders().set(ConsistencySession.HEADER, token));
            return Mono.empty();
        });
        return chain.filter(exchange).contextWrite(ReactiveConsistency.with(session));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
