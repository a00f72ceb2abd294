package dev.junction;

import java.util.Objects;

/**
 * A consistency token could not be used: empty, truncated, not base64url, corrupted or forged (its checksum does not
 * match), or written by a newer token format. The message says which, with what to do, and {@link #problem()} gives
 * the same fact as a value; neither ever contains the token's text, so the exception is safe to log and to answer a
 * client with. Thrown by {@link ConsistencyToken#parse(String)}, and by a router told to refuse reads with a bad token
 * (routing's {@code consistency.invalidToken: reject}). Callers that take tokens from requests can avoid the parse
 * exception with {@link Consistency#afterToken(String)}, which leaves the decision to the router's policy.
 */
public final class InvalidConsistencyTokenException extends JunctionException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with a token, as a value: one constant per check {@link ConsistencyToken#parse} makes. */
    public enum Problem {
        /** No text, or only blanks. */
        EMPTY("it is empty"),
        /** Not the encoded length: truncated, padded or altered in transit. */
        LENGTH("it does not have the encoded length (truncated or altered in transit)"),
        /** Characters outside the URL-safe base64 alphabet (re-encoded, or not a token). */
        ALPHABET("it contains characters outside [A-Za-z0-9_-]"),
        /** A format version this library does not read (issued by a newer Junction). */
        VERSION("its format version is not supported"),
        /** The checksum does not match: corrupted or forged. */
        CHECKSUM("its checksum does not match (corrupted or forged)"),
        /** A timeline below 1, which no server has. */
        TIMELINE("it names a timeline below 1");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /** Words for a message, without the token: "its checksum does not match (corrupted or forged)". */
        public String description() {
            return description;
        }
    }

    private final Problem problem;

    /**
     * @param problem what is wrong with the token
     * @param message the message, which must not contain the token's text
     */
    public InvalidConsistencyTokenException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** What is wrong with the token. */
    public Problem problem() {
        return problem;
    }
}
