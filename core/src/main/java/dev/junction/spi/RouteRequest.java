package dev.junction.spi;

import dev.junction.Consistency;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work's request for a connection.
 *
 * @param intent      read or write
 * @param excluded    nodes that must not be used (a read being retried after a connection failure on them)
 * @param pinned      the node a sibling in the same unit already uses; a router should prefer it while it is
 *                    eligible, so all reads of one unit see the same replica state
 * @param consistency how fresh a read must be. A router must never lend a read connection to a node that may not
 *                    satisfy it: for {@link Consistency.After} a node that has replayed the token's position, for
 *                    {@link Consistency.Strong} the primary. Ignored for writes (always the primary).
 */
public record RouteRequest(Intent intent, Set<String> excluded, @Nullable String pinned, Consistency consistency) {
    public RouteRequest {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(consistency, "consistency");
        excluded = Set.copyOf(excluded);
    }

    /** An eventual-consistency request. */
    public RouteRequest(Intent intent, Set<String> excluded, @Nullable String pinned) {
        this(intent, excluded, pinned, Consistency.eventual());
    }

    public static RouteRequest read() {
        return new RouteRequest(Intent.READ, Set.of(), null);
    }

    public static RouteRequest read(Consistency consistency) {
        return new RouteRequest(Intent.READ, Set.of(), null, consistency);
    }

    public static RouteRequest write() {
        return new RouteRequest(Intent.WRITE, Set.of(), null);
    }
}
