package dev.junction.routing.internal;

/**
 * The reasons a routing decision is counted under: the reasons of leases (also {@link dev.junction.spi.Lease#reason()})
 * and the refusals. {@link #tag()} is the text in {@code ClusterRouter.routingCounts()} and the {@code reason} tag of
 * the route meter; it never changes for a constant.
 */
public enum RouteReason {
    /** A write, or a read with no replica configured, on the primary. */
    PRIMARY("primary"),
    /** A read on a replica chosen by the selection strategy. */
    REPLICA("replica"),
    /** A read on the node a sibling of the same unit already uses. */
    PINNED("pinned"),
    /** A read on the primary because no replica could serve it and the fallback policy allows it. */
    FALLBACK("fallback"),
    /** A read after a token on a replica that had replayed it at the first look. */
    TOKEN_REPLICA("token_replica"),
    /** A read after a token on a replica that replayed it within the wait bound. */
    TOKEN_WAITED("token_waited"),
    /** A read after a token on the primary: no replica had replayed it, or the commit is too young. */
    TOKEN_PRIMARY("token_primary"),
    /** A read after a token of another cluster, on the primary. */
    TOKEN_FOREIGN("token_foreign"),
    /**
     * Not a lease of its own: a read whose consistency token did not parse or failed its checksum. It then went where
     * {@code consistency.invalidToken} says, counted also under that route's reason ({@code strong}, {@code replica},
     * ...), or was refused.
     */
    TOKEN_INVALID("token_invalid"),
    /** A read with strong consistency, on the primary. */
    STRONG("strong"),
    /** Not a lease: a replica failed to give a connection and the read moved on. */
    FAILOVER("failover"),
    /** Not a lease: a pool was busy and its bulkhead full, or its timeout ran out. */
    SATURATED("saturated"),
    /** Not a lease: no node could serve a read. */
    NO_ELIGIBLE_REPLICA("no_eligible_replica"),
    /** Not a lease: no primary could take a write. */
    PRIMARY_UNAVAILABLE("primary_unavailable");

    private final String tag;

    RouteReason(String tag) {
        this.tag = tag;
    }

    /** The counter key and meter tag value: lower case, stable. */
    public String tag() {
        return tag;
    }
}
