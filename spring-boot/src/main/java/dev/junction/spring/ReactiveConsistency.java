package dev.junction.spring;

import dev.junction.ConsistencySession;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Blocking Junction calls from WebFlux handlers, with the request's consistency session. The Database is blocking
 * (JDBC): in a reactive handler each call must leave the event loop, and the session the
 * {@link ConsistencyWebFilter} restored lives in the Reactor context, not on a thread. {@link #blocking} does both:
 *
 * <pre>{@code
 * @GetMapping("/notes/{id}")
 * Mono<String> find(@PathVariable long id) {
 *     return ReactiveConsistency.blocking(() -> db.read(ctx -> ...));      // sees the caller's earlier writes
 * }
 * }</pre>
 *
 * The call runs on Reactor's {@link Schedulers#boundedElastic() bounded-elastic} scheduler, the one meant for
 * blocking work, with the request's session as the thread's {@link RequestConsistency} for its duration: reads
 * without an explicit consistency read at the session's, and every commit is recorded in it (and so reaches the
 * response's header). Without the filter (no session in the context) the call runs the same, at eventual
 * consistency. Stateless and thread-safe.
 */
public final class ReactiveConsistency {
    /** The Reactor context key of the request's session. */
    private static final Object KEY = ReactiveConsistency.class;

    private ReactiveConsistency() {
    }

    /**
     * A Mono that, when subscribed, runs {@code call} on the bounded-elastic scheduler with the request's session
     * (if the filter set one) as the thread's {@link RequestConsistency}, and emits its result (empty for
     * {@code null}) or its exception.
     */
    public static <T> Mono<T> blocking(Callable<? extends @Nullable T> call) {
        return Mono.deferContextual(context -> {
            ConsistencySession session = context.getOrDefault(KEY, null);
            Mono<T> run = Mono.fromCallable(() -> {
                if (session == null) {
                    return call.call();
                }
                // Nothing to do at each commit: the filter reads the session when the response is committed.
                try (RequestConsistency.Scope ignored = RequestConsistency.open(session, ReactiveConsistency::noop)) {
                    return call.call();
                }
            });
            return run.subscribeOn(Schedulers.boundedElastic());
        });
    }

    /** The session of the request whose chain subscribes, if the filter set one. */
    public static Mono<ConsistencySession> current() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(context.<ConsistencySession>getOrEmpty(KEY)));
    }

    private static void noop(ConsistencySession recorded) {
    }

    /** The context the filter writes into the request's chain. */
    static Context with(ConsistencySession session) {
        return Context.of(KEY, session);
    }
}
