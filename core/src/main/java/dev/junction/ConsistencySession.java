package dev.junction;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The latest write a user (or a request chain) has made, so that their next reads see it: record every
 * {@link Commit}, read with {@link #consistency()}, and carry {@link #encoded()} to the next request in a header or
 * cookie ({@link #HEADER}), to this or another app instance, which restores it with {@link #restore(String)}.
 *
 * <p>Guarantees: the session only moves forward ({@link ConsistencyToken#merge}); a token that arrives malformed,
 * truncated or tampered with makes the session ask for {@link Consistency#invalidToken} until a valid token is
 * recorded: the router's policy for bad tokens decides (by default the primary), so with the default bad client
 * input never causes a stale read nor an exception. Thread-safe (lock-free).
 *
 * <pre>{@code
 * ConsistencySession session = ConsistencySession.restore(request.getHeader(ConsistencySession.HEADER));
 * session.record(db.write(tx -> ...));
 * var page = db.read(session.consistency(), ctx -> ...);
 * session.encoded().ifPresent(t -> response.setHeader(ConsistencySession.HEADER, t));
 * }</pre>
 */
public final class ConsistencySession {
    /** A suggested HTTP header (or cookie) name for the encoded token. */
    public static final String HEADER = "Junction-Consistency";

    /** {@code untrusted}: what was wrong with the token the session was restored from, until one is recorded. */
    private record State(@Nullable ConsistencyToken token,
                         InvalidConsistencyTokenException.@Nullable Problem untrusted) {
    }

    private final AtomicReference<State> state;

    private ConsistencySession(State initial) {
        this.state = new AtomicReference<>(initial);
    }

    /** A session with no write yet: reads are {@link Consistency#eventual()}. */
    public static ConsistencySession empty() {
        return new ConsistencySession(new State(null, null));
    }

    /**
     * A session from a token carried by a client: absent or blank means no write yet; valid means read after it;
     * invalid means the router's bad-token policy (by default the primary: a forged or damaged token must not lead to
     * a stale read).
     */
    public static ConsistencySession restore(@Nullable String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return empty();
        }
        try {
            return new ConsistencySession(new State(ConsistencyToken.parse(encoded), null));
        } catch (InvalidConsistencyTokenException e) {
            return new ConsistencySession(new State(null, e.problem()));
        }
    }

    /** Records a commit of this session; the session keeps the later of it and what it had. */
    public ConsistencySession record(Commit<?> commit) {
        return record(commit.token());
    }

    /**
     * Records a token (for example one returned by another service); keeps the later one. A token of another
     * cluster than the one held (a client that carried a token from elsewhere) is replaced by {@code token}: the
     * session follows the cluster it writes to.
     */
    public ConsistencySession record(ConsistencyToken token) {
        state.updateAndGet(s -> new State(s.token == null || !sameCluster(s.token, token) ? token
                : s.token.merge(token), null));
        return this;
    }

    private static boolean sameCluster(ConsistencyToken a, ConsistencyToken b) {
        return a.systemIdentifier() == b.systemIdentifier() || a.systemIdentifier() == 0
                || b.systemIdentifier() == 0;
    }

    /** How the session's next read must be served. */
    public Consistency consistency() {
        State s = state.get();
        if (s.untrusted != null) {
            return Consistency.invalidToken(s.untrusted);
        }
        return s.token == null ? Consistency.eventual() : Consistency.after(s.token);
    }

    /** The latest token, if any. */
    public Optional<ConsistencyToken> token() {
        return Optional.ofNullable(state.get().token);
    }

    /** The latest token in its URL- and cookie-safe form, to hand to the next request; empty if none. */
    public Optional<String> encoded() {
        return token().map(ConsistencyToken::encode);
    }

    @Override
    public String toString() {
        State s = state.get();
        return "ConsistencySession[" + (s.untrusted != null ? "untrusted token: " + s.untrusted
                : s.token == null ? "no write" : s.token.toString()) + "]";
    }
}
