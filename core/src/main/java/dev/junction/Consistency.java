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
 * </ul>
 * Immutable and thread-safe.
 */
public sealed interface Consistency permits Consistency.Eventual, Consistency.After, Consistency.Strong {

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
     * For tokens that arrive from outside (a header, a cookie, a job payload): no token means
     * {@link #eventual()} (this client has no write to wait for), a valid token means {@link #after}, and a
     * malformed one means {@link #strong()}: never a stale read, never an exception on bad client input.
     */
    static Consistency afterToken(@Nullable String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return eventual();
        }
        try {
            return after(ConsistencyToken.parse(encoded));
        } catch (InvalidConsistencyTokenException e) {
            return strong();
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
}
