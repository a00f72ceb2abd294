package dev.junction.spi;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work's request for a connection.
 *
 * @param intent   read or write
 * @param excluded nodes that must not be used (a read being retried after a connection failure on them)
 * @param pinned   the node a sibling in the same unit already uses; a router should prefer it while it is eligible,
 *                 so all reads of one unit see the same replica state
 */
public record RouteRequest(Intent intent, Set<String> excluded, @Nullable String pinned) {
    public RouteRequest {
        Objects.requireNonNull(intent, "intent");
        excluded = Set.copyOf(excluded);
    }

    public static RouteRequest read() {
        return new RouteRequest(Intent.READ, Set.of(), null);
    }

    public static RouteRequest write() {
        return new RouteRequest(Intent.WRITE, Set.of(), null);
    }
}
