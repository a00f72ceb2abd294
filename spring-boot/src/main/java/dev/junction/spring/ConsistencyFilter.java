package dev.junction.spring;

import dev.junction.ConsistencySession;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Read-your-writes across requests without code: restores the {@value ConsistencySession#HEADER} request header
 * into the request's {@link ConsistencySession} (absent: eventual reads; valid: reads after that write; malformed or
 * tampered with: reads on the primary), makes it the thread's {@link RequestConsistency} for the request, and writes
 * the session's token on the response: the one the client sent, replaced by the merged token after each commit made
 * through the Database bean (set at the commit, before the body is written, so it reaches the client whatever the
 * controller does next). Synchronous requests only: work handed to other threads or async dispatches does not see
 * the session. Runs early ({@link #ORDER}) so every later filter and handler sees the session.
 */
public final class ConsistencyFilter extends OncePerRequestFilter implements Ordered {
    /** Early, but after Spring's own request-wrapping filters (which run at {@code HIGHEST_PRECEDENCE}). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsistencySession session = ConsistencySession.restore(request.getHeader(ConsistencySession.HEADER));
        session.encoded().ifPresent(token -> response.setHeader(ConsistencySession.HEADER, token));
        RequestConsistency.Scope scope = RequestConsistency.open(session, s -> s.encoded().ifPresent(token -> {
            if (!response.isCommitted()) {
                response.setHeader(ConsistencySession.HEADER, token);
            }
        }));
        try {
            chain.doFilter(request, response);
        } finally {
            scope.close();
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
