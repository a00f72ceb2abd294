package dev.junction.spring;

import dev.junction.Commit;
import dev.junction.ConsistencySession;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The consistency session of the request the current thread serves, set by the starter's servlet filter from the
 * {@value ConsistencySession#HEADER} request header. While one is set, the starter's {@code Database} bean reads at
 * {@link ConsistencySession#consistency()} and records every commit in it, and the filter writes the merged token on
 * the response, so read-your-writes across requests needs no code. Use {@link #current()} where you need the session
 * yourself (for example for {@code db.parallel(...)} groups, which take no consistency and read at eventual
 * consistency). Thread-confined: the session belongs to the thread that runs the request.
 */
public final class RequestConsistency {
    private static final ThreadLocal<@Nullable RequestConsistency> CURRENT = new ThreadLocal<>();

    private final ConsistencySession session;
    private final Consumer<ConsistencySession> onRecord;

    private RequestConsistency(ConsistencySession session, Consumer<ConsistencySession> onRecord) {
        this.session = session;
        this.onRecord = onRecord;
    }

    /** The session of the request on this thread, if the filter set one. */
    public static Optional<ConsistencySession> current() {
        RequestConsistency c = CURRENT.get();
        return c == null ? Optional.empty() : Optional.of(c.session);
    }

    static @Nullable RequestConsistency scope() {
        return CURRENT.get();
    }

    /**
     * Makes {@code session} the current request's session until the returned scope is closed, which restores what
     * was set before; {@code onRecord} is told after each commit recorded through the Database bean.
     */
    static Scope open(ConsistencySession session, Consumer<ConsistencySession> onRecord) {
        Objects.requireNonNull(session, "session");
        RequestConsistency previous = CURRENT.get();
        CURRENT.set(new RequestConsistency(session, onRecord));
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    ConsistencySession session() {
        return session;
    }

    void record(Commit<?> commit) {
        session.record(commit);
        onRecord.accept(session);
    }

    /** The extent of one request's session on its thread. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
