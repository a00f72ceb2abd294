package dev.junction;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How fresh the data seen by a read must be.
 * <ul>
 *   <li>{@link #eventual()}: any eligible replica (within the configured maximum lag). Cheapest; may not show
 *       writes committed a moment ago.</li>
 *   <li>{@link #after(ConsistencyToken)}: read-your-writes / causal reads. Served by a replica only once it has
 *       replayed the token's WAL position, after waiting up to the configured bound, else by the primary. Never
 *       older than the token's commit.</li>
 *   <li>{@link #strong()}: the primary.</li>
 *   <li>{@link #invalidToken(InvalidConsistencyTokenException.Problem)}: a token from outside that could not be
 *       used; the router applies its policy for bad tokens (routing: {@code consistency.invalidToken}, by default
 *       a strong read), and a router without one serves it like {@link #strong()}.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public sealed interface Consistency
        permits Consistency.Eventual, Consistency.After, Consistency.Strong, Consistency.InvalidToken {

    /** Any eligible replica. */
    static Consistency eventual() {
        return Eventual.INSTANCE;
    }

    /** The primary. */
    static Consistency strong() {
        return Strong.INSTANCE;
    }

    /** At least as fresh as the commit that produced {@code token}. */
    static Consistency after(ConsistencyToken token) {
        return new After(token);
    }

    /**
     * A read whose token could not be used; where it goes is the router's policy for bad tokens. Carries what was
     * wrong, never the token's text.
     */
    static Consistency invalidToken(InvalidConsistencyTokenException.Problem problem) {
        return new InvalidToken(problem);
    }

    /**
     * For tokens that arrive from outside (a header, a cookie, a job payload): no token means
     * {@link #eventual()} (this client has no write to wait for), a valid token means {@link #after}, and a
     * malformed or forged one means {@link #invalidToken}: the router's policy decides (by default a strong read,
     * so never a stale read), and no exception is thrown here on bad client input.
     */
    static Consistency afterToken(@Nullable String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return eventual();
        }
        try {
            return after(ConsistencyToken.parse(encoded));
        } catch (InvalidConsistencyTokenException e) {
            return invalidToken(e.problem());
        }
    }

    /** See {@link #eventual()}. */
    enum Eventual implements Consistency {
        INSTANCE
    }

    /** See {@link #strong()}. */
    enum Strong implements Consistency {
        INSTANCE
    }

    /**
     * See {@link #after(ConsistencyToken)}.
     *
     * @param token the commit the read must observe
     */
    record After(ConsistencyToken token) implements Consistency {
        public After {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * See {@link #invalidToken(InvalidConsistencyTokenException.Problem)}.
     *
     * @param problem what was wrong with the token (its text is not kept)
     */
    record InvalidToken(InvalidConsistencyTokenException.Problem problem) implements Consistency {
        public InvalidToken {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
