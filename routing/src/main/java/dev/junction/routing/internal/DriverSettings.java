package dev.junction.routing.internal;

import dev.junction.routing.Pooler;
import java.util.Map;

/** The pgJDBC properties a pooler in front of a node requires, for the node's pool and the monitor's probe. */
public final class DriverSettings {
    private DriverSettings() {
    }

    /**
     * Properties to add for {@code pooler}. For a transaction-mode pooler: no named server-side prepared statements
     * (a statement prepared in one server session is unknown in the next: "prepared statement "S_1" does not exist"),
     * and the start-up values of {@code extra_float_digits} and {@code application_name} sent in the start-up packet
     * instead of as {@code SET} statements after login, which would change whichever server session the pooler
     * happened to lend.
     */
    public static Map<String, String> forPooler(Pooler pooler) {
        return switch (pooler) {
            case NONE -> Map.of();
            case PGBOUNCER_TRANSACTION -> Map.of("prepareThreshold", "0", "assumeMinServerVersion", "9.0");
        };
    }
}
