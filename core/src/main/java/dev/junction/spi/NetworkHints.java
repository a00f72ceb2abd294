package dev.junction.spi;

import org.jooq.Configuration;

/**
 * What a unit of work's jOOQ configuration says about the network between the application and the node it works
 * on, for code that chooses how many round trips to spend (the graph fetch's automatic strategy). Junction puts the
 * router's measurement of the lease's node there ({@link Lease#roundTripNanos()}); code on plain jOOQ may set it
 * itself. Absent, the choice assumes nothing about the network.
 */
public final class NetworkHints {
    /** The configuration data key of the round-trip time in nanoseconds, a {@link Long}. */
    public static final String ROUND_TRIP_NANOS_KEY = "dev.junction.network.roundTripNanos";

    private NetworkHints() {
    }

    /** The round-trip time in {@code configuration}'s data, in nanoseconds; -1 when none (or not a number) is set. */
    public static long roundTripNanos(Configuration configuration) {
        return configuration.data(ROUND_TRIP_NANOS_KEY) instanceof Long nanos && nanos >= 0 ? nanos : -1;
    }

    /**
     * Sets the round-trip time in {@code configuration}'s data.
     *
     * @throws IllegalArgumentException when {@code nanos} is negative
     */
    public static void roundTripNanos(Configuration configuration, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a round-trip time is at least 0 ns, but was " + nanos);
        }
        configuration.data(ROUND_TRIP_NANOS_KEY, nanos);
    }
}
