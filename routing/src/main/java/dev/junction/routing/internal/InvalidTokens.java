package dev.junction.routing.internal;

import dev.junction.Consistency;
import dev.junction.InvalidConsistencyTokenException;
import dev.junction.routing.ConsistencySettings.InvalidTokenPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reads with a consistency token that does not parse or fails its checksum become, by
 * {@code consistency.invalidToken}: a strong read, an eventual read, or a refusal. Every such read is counted
 * ({@link RouteReason#TOKEN_INVALID}); they are logged at most once per {@link #LOG_INTERVAL}, with their number and
 * the latest problem, never the token's text (which never reaches the router: {@link Consistency.InvalidToken}
 * carries only the problem). Thread-safe.
 */
final class InvalidTokens {
    private static final Logger log = LoggerFactory.getLogger(RoutingEngine.class);
    /** At most one log line per this interval, however many bad tokens come: clients control how many. */
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final InvalidTokenPolicy policy;
    private final Decisions decisions;
    private final AtomicLong sinceLogged = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());

    InvalidTokens(InvalidTokenPolicy policy, Decisions decisions) {
        this.policy = policy;
        this.decisions = decisions;
    }

    /**
     * Counts and maybe logs the read, then says how to serve it.
     *
     * @return {@link Consistency#strong()} or {@link Consistency#eventual()}, by the policy
     * @throws InvalidConsistencyTokenException when the policy is {@code reject}
     */
    Consistency resolve(Consistency.InvalidToken read) {
        decisions.count(RouteReason.TOKEN_INVALID);
        sinceLogged.incrementAndGet();
        long last = lastLogNanos.get();
        long now = System.nanoTime();
        if (now - last >= LOG_INTERVAL.toNanos() && lastLogNanos.compareAndSet(last, now)) {
            long reported = sinceLogged.getAndSet(0);
            log.warn("{} read(s) came with a consistency token that cannot be used (the latest: {}); {}"
                    + " (consistency.invalidToken: {}; logged at most once per {}, counted as route reason"
                    + " token_invalid)", reported, read.problem().description(), served(), tag(),
                    Durations.format(LOG_INTERVAL));
        }
        return switch (policy) {
            case STRONG -> Consistency.strong();
            case EVENTUAL -> Consistency.eventual();
            case REJECT -> throw new InvalidConsistencyTokenException(read.problem(), "the read's consistency token"
                    + " cannot be used: " + read.problem().description() + "; reads with such tokens are refused"
                    + " (consistency.invalidToken: reject). Carry the token unchanged from the response that issued"
                    + " it, or send none for a read that needs no earlier write");
        };
    }

    private String served() {
        return switch (policy) {
            case STRONG -> "they were served by the primary";
            case EVENTUAL -> "they were served like reads without a token";
            case REJECT -> "they were refused";
        };
    }

    private String tag() {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}
