package dev.junction.internal.unit;

import dev.junction.Consistency;
import dev.junction.internal.parallel.Cancellation;
import dev.junction.spi.Intent;
import dev.junction.spi.NodeRef;
import dev.junction.spi.RouteRequest;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What one lease is for: the route request, and what the unit of work needs around it. Immutable; the plain eventual
 * read (the most common unit) is one shared instance, so a read allocates no plan.
 *
 * @param request      what the router is asked for; a read when its intent is {@link Intent#READ}
 * @param budget       a write's transaction budget; null for reads
 * @param cancellation a parallel sibling's cancellation, or null outside parallel units
 * @param onLease      told the node once the lease is acquired (a parallel group's first work), or null
 * @param group        the connections of a parallel sibling's group, which lends its lease; null outside groups
 */
record LeasePlan(RouteRequest request, @Nullable Duration budget, @Nullable Cancellation cancellation,
        @Nullable Consumer<NodeRef> onLease, @Nullable GroupLeases group) {

    /** A read with eventual consistency, not pinned, outside a parallel unit. */
    static final LeasePlan EVENTUAL_READ = new LeasePlan(new RouteRequest(Intent.READ, Set.of(), null,
            Consistency.eventual()), null, null, null, null);

    /** A read unit's plan. */
    static LeasePlan read(Consistency consistency) {
        return consistency instanceof Consistency.Eventual ? EVENTUAL_READ
                : new LeasePlan(new RouteRequest(Intent.READ, Set.of(), null, consistency), null, null, null, null);
    }

    /** A parallel sibling's plan: pinned to the first sibling's node (when known), cancelled with its group. */
    static LeasePlan sibling(@Nullable String pinned, Cancellation cancellation, @Nullable Consumer<NodeRef> onLease,
            GroupLeases group) {
        return new LeasePlan(new RouteRequest(Intent.READ, Set.of(), pinned, Consistency.eventual()), null,
                cancellation, onLease, group);
    }

    /** A write unit's plan, with its transaction budget. */
    static LeasePlan write(Duration budget) {
        return new LeasePlan(RouteRequest.write(), budget, null, null, null);
    }

    /** This read again, on any node but {@code failed}: not pinned, and nobody is told the new node. */
    LeasePlan elsewhere(String failed) {
        return new LeasePlan(new RouteRequest(Intent.READ, Set.of(failed), null, request.consistency()), null,
                cancellation, null, group);
    }

    boolean read() {
        return request.intent() == Intent.READ;
    }
}
