package dev.junction.routing.internal;

import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.NoEligibleReplicaException;
import dev.junction.PoolSaturatedException;
import dev.junction.PrimaryUnavailableException;
import dev.junction.routing.ConsistencySettings;
import dev.junction.routing.FallbackPolicy;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.PrimaryStatus;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.Intent;
import dev.junction.spi.Lease;
import dev.junction.spi.NodeRef;
import dev.junction.spi.Role;
import dev.junction.spi.RouteRequest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Routes requests over the nodes: writes to the primary, reads to an eligible replica (pinned first, then by
 * strategy), failing over to the next replica when one cannot give a connection, then to the primary or failing by
 * the fallback policy. Counts every decision by reason. Thread-safe.
 */
public final class RoutingEngine {
    /** Counter keys for outcomes that are not leases. */
    public static final String FAILOVER = "failover";
    public static final String SATURATED = "saturated";
    public static final String NO_ELIGIBLE_REPLICA = "no_eligible_replica";
    public static final String PRIMARY_UNAVAILABLE = "primary_unavailable";
    /** Lease reasons of reads with a consistency requirement. */
    public static final String TOKEN_REPLICA = "token_replica";
    public static final String TOKEN_WAITED = "token_waited";
    public static final String TOKEN_PRIMARY = "token_primary";
    public static final String TOKEN_FOREIGN = "token_foreign";
    public static final String STRONG = "strong";

    private final RoutingConfig config;
    private final HealthMonitor monitor;
    private final List<NodeRuntime> replicas;
    private final List<NodeRuntime> all;
    private final ReplicaSelector selector;
    private final LagPolicy lagPolicy;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final TokenWaits waits = new TokenWaits();
    private final AtomicBoolean foreignWarned = new AtomicBoolean();

    /**
     * @param monitor where writes go ({@link HealthMonitor#view()}), and whom to ask for a check now when a write
     *                finds no usable primary
     */
    public RoutingEngine(RoutingConfig config, List<NodeRuntime> nodes, LagPolicy lagPolicy, HealthMonitor monitor) {
        this.config = config;
        this.monitor = monitor;
        this.all = List.copyOf(nodes);
        // With discovered roles any node may serve reads while it is a standby; eligibility checks the role seen.
        this.replicas = config.discoversRoles() ? all
                : nodes.stream().filter(n -> n.config().role() == Role.REPLICA).toList();
        this.selector = new ReplicaSelector(config.selection());
        this.lagPolicy = lagPolicy;
    }

    public Lease acquire(RouteRequest request) {
        return request.intent() == Intent.WRITE ? acquireWrite() : acquireRead(request);
    }

    /**
     * Where writes may go now: {@code usable} when it may take work; otherwise {@code why} it may not, a predicate
     * about {@code named} (e.g. "is down (...)") or, when no node is named, a whole sentence.
     */
    private record Target(@Nullable NodeRuntime usable, @Nullable NodeRuntime named, @Nullable String why) {
        String sentence() {
            return named == null ? Objects.requireNonNull(why) : "primary '" + named.name() + "' " + why;
        }
    }

    private Target writeTarget() {
        PrimaryView view = monitor.view();
        NodeRuntime node = view.target();
        if (view.refusal() != null) {
            return new Target(null, null, view.refusal());
        }
        if (node == null) {
            return new Target(null, null, "no node is known to be in the primary role yet");
        }
        String why = primaryIneligibility(node);
        return new Target(why == null ? node : null, node, why);
    }

    private Lease acquireWrite() {
        Target target = writeTarget();
        NodeRuntime primary = target.usable();
        if (primary == null) {
            count(PRIMARY_UNAVAILABLE);
            monitor.requestPoll();
            throw primaryUnavailable(target.sentence(), null);
        }
        try {
            return lend(primary, Role.PRIMARY, "primary");
        } catch (AcquireFailure f) {
            switch (f.kind()) {
                case SATURATED, TIMEOUT -> {
                    count(SATURATED);
                    throw saturated(primary, f);
                }
                case BREAKER_OPEN -> {
                    count(PRIMARY_UNAVAILABLE);
                    throw primaryUnavailable("primary '" + primary.name() + "' has its "
                            + primary.breakerDescription(), null);
                }
                default -> {
                    count(PRIMARY_UNAVAILABLE);
                    monitor.requestPoll();
                    throw primaryUnavailable("primary '" + primary.name() + "' could not connect ("
                            + Probe.describe(f.getCause()) + ")", f.getCause());
                }
            }
        }
    }

    private Lease acquireRead(RouteRequest request) {
        if (request.consistency() instanceof Consistency.Strong) {
            return primaryForConsistency(STRONG, "strong consistency reads only from the primary", request);
        }
        if (request.consistency() instanceof Consistency.After after) {
            return acquireAfter(request, after.token());
        }
        return acquireEventual(request, "replica");
    }

    /**
     * A read that must see the token's commit: a replica whose last observed replay position has reached it; else
     * one that reaches it within the wait bound (checked on its connection); else the primary. Never a replica that
     * has not replayed the token.
     */
    private Lease acquireAfter(RouteRequest request, ConsistencyToken token) {
        long cluster = clusterIdentifier();
        if (token.systemIdentifier() != 0 && cluster != 0 && token.systemIdentifier() != cluster) {
            if (foreignWarned.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(RoutingEngine.class).warn("a consistency token of another cluster"
                        + " (system identifier {}, this one is {}) was used; such reads go to the primary. Tokens"
                        + " must come from writes to this cluster (logged once)",
                        Long.toUnsignedString(token.systemIdentifier()), Long.toUnsignedString(cluster));
            }
            return primaryForConsistency(TOKEN_FOREIGN, "the token belongs to another cluster", request);
        }
        ConsistencySettings settings = config.consistency();
        if (settings.mode() == ConsistencySettings.Mode.TIME) {
            if (java.time.Instant.now().isBefore(token.committedAt().plus(settings.primaryWindow()))) {
                return primaryForConsistency(TOKEN_PRIMARY, "the commit is younger than consistency.primaryWindow",
                        request);
            }
            return acquireEventual(request, TOKEN_REPLICA);
        }
        Set<String> tried = new HashSet<>(request.excluded());
        while (true) {
            List<NodeRuntime> eligible = new ArrayList<>();
            List<NodeRuntime> ready = new ArrayList<>();
            for (NodeRuntime r : replicas) {
                if (!tried.contains(r.name()) && replicaIneligibility(r, request.excluded()) == null
                        && onTokenTimeline(r.health(), token)) {
                    eligible.add(r);
                    Long replayed = r.health().lsn();
                    if (replayed != null && Long.compareUnsigned(replayed, token.lsn()) >= 0) {
                        ready.add(r);
                    }
                }
            }
            if (!ready.isEmpty()) {
                NodeRuntime chosen = pinnedOr(request, ready);
                try {
                    return lend(chosen, Role.REPLICA, TOKEN_REPLICA);
                } catch (AcquireFailure f) {
                    tried.add(chosen.name());
                    continue;
                }
            }
            if (eligible.isEmpty() || settings.maxWait().isZero()) {
                break;
            }
            NodeRuntime chosen = pinnedOr(request, eligible);
            Connection c;
            try {
                c = chosen.borrow();
            } catch (AcquireFailure f) {
                tried.add(chosen.name());
                continue;
            }
            long started = System.nanoTime();
            TokenWaits.Outcome outcome;
            try {
                outcome = TokenWaits.awaitReplay(c, token.lsn(), token.timeline(), settings.maxWait());
            } catch (java.sql.SQLException | RuntimeException e) {
                chosen.giveBack(c, e, System.nanoTime() - started);
                tried.add(chosen.name());
                count(FAILOVER);
                continue;
            }
            waits.record(System.nanoTime() - started, outcome.reached());
            if (outcome.reached()) {
                String reason = outcome.checks() == 1 ? TOKEN_REPLICA : TOKEN_WAITED;
                count(reason);
                return new RoutedLease(chosen, c, new NodeRef(chosen.name(), Role.REPLICA), reason);
            }
            chosen.giveBack(c, null, System.nanoTime() - started);
            break; // one bounded wait per read: after it, the primary
        }
        return primaryForConsistency(TOKEN_PRIMARY, "no replica on the token's timeline " + token.timeline()
                + " had replayed its position " + token.lsnText() + " within consistency.maxWait "
                + Durations.format(settings.maxWait()), request);
    }

    /**
     * Whether a replica is known to be on the token's timeline. Positions of different timelines are not
     * comparable: after a failover a replica of the new primary can be past the token's position without holding
     * the token's commit (it was lost with the old primary, or the replica forked off before it). A replica whose
     * timeline is unknown is never judged to have reached a token.
     */
    static boolean onTokenTimeline(NodeHealth health, ConsistencyToken token) {
        Integer timeline = health.timeline();
        return timeline != null && timeline == token.timeline();
    }

    /** The cluster's system identifier as any node reported it, 0 when none could. */
    private long clusterIdentifier() {
        for (NodeRuntime n : all) {
            long id = n.systemIdentifier();
            if (id != 0) {
                return id;
            }
        }
        return 0;
    }

    private NodeRuntime pinnedOr(RouteRequest request, List<NodeRuntime> candidates) {
        if (request.pinned() != null) {
            for (NodeRuntime r : candidates) {
                if (r.name().equals(request.pinned())) {
                    return r;
                }
            }
        }
        return selector.choose(candidates, NodeRuntime::outstanding);
    }

    /** A read that only the primary may serve; it fails rather than fall back to a replica. */
    private Lease primaryForConsistency(String reason, String why, RouteRequest request) {
        PrimaryRead attempt = readPrimary(reason, request);
        if (attempt.lease() != null) {
            return attempt.lease();
        }
        count(NO_ELIGIBLE_REPLICA);
        throw new NoEligibleReplicaException("no node can serve this read at the consistency it asks for: " + why
                + ", and " + attempt.sentence() + "; the read was not served rather than served stale. Retry later,"
                + " or read with Consistency.eventual() if stale data is acceptable here", null);
    }

    /** Consistency-token waits so far. */
    public TokenWaits.Snapshot tokenWaits() {
        return waits.snapshot();
    }

    private Lease acquireEventual(RouteRequest request, String replicaReason) {
        // Allocated on the first refusal only: the common read finds an eligible replica and gets a connection.
        Map<String, String> ineligible = null;
        Set<String> tried = null;
        AcquireFailure saturation = null;
        NodeRuntime saturatedNode = null;
        Throwable lastFailure = null;
        while (true) {
            List<NodeRuntime> eligible = new ArrayList<>(replicas.size());
            for (NodeRuntime r : replicas) {
                if (tried != null && tried.contains(r.name())) {
                    continue;
                }
                String why = replicaIneligibility(r, request.excluded());
                if (why == null) {
                    eligible.add(r);
                } else {
                    ineligible = ineligible != null ? ineligible : new LinkedHashMap<>();
                    ineligible.put(r.name(), why);
                }
            }
            if (eligible.isEmpty()) {
                break;
            }
            NodeRuntime chosen = null;
            String reason = replicaReason;
            if (request.pinned() != null) {
                for (NodeRuntime r : eligible) {
                    if (r.name().equals(request.pinned())) {
                        chosen = r;
                        reason = "pinned";
                    }
                }
            }
            if (chosen == null) {
                chosen = selector.choose(eligible, NodeRuntime::outstanding);
            }
            try {
                return lend(chosen, Role.REPLICA, reason);
            } catch (AcquireFailure f) {
                tried = tried != null ? tried : new HashSet<>();
                ineligible = ineligible != null ? ineligible : new LinkedHashMap<>();
                tried.add(chosen.name());
                switch (f.kind()) {
                    case SATURATED, TIMEOUT -> {
                        saturation = f;
                        saturatedNode = chosen;
                        ineligible.put(chosen.name(), "pool saturated (" + chosen.pool().maximumPoolSize()
                                + " connections busy, waited " + f.waitedMillis() + "ms)");
                    }
                    case BREAKER_OPEN -> ineligible.put(chosen.name(), chosen.breakerDescription());
                    default -> {
                        lastFailure = f.getCause();
                        count(FAILOVER);
                        ineligible.put(chosen.name(), "could not connect (" + Probe.describe(f.getCause()) + ")");
                    }
                }
            }
        }
        if (saturation != null && saturatedNode != null && lastFailure == null) {
            // Every replica that could serve is busy: shed the read rather than cascade the load onto the primary.
            count(SATURATED);
            throw saturated(saturatedNode, saturation);
        }
        if (ineligible == null) {
            ineligible = new LinkedHashMap<>();
        }
        NodeRuntime target = monitor.view().target();
        boolean primaryAllowed = target == null || !request.excluded().contains(target.name());
        if (replicas.isEmpty() && primaryAllowed) {
            return readOnPrimary("primary", ineligible, lastFailure, request);
        }
        if (config.fallback() == FallbackPolicy.PRIMARY && primaryAllowed) {
            return readOnPrimary("fallback", ineligible, lastFailure, request);
        }
        count(NO_ELIGIBLE_REPLICA);
        throw noEligibleReplica(ineligible, primaryAllowed ? null : "the primary is excluded by this request",
                lastFailure);
    }

    private Lease readOnPrimary(String reason, Map<String, String> ineligible, @Nullable Throwable lastFailure,
                                RouteRequest request) {
        PrimaryRead attempt = readPrimary(reason, request);
        if (attempt.lease() != null) {
            return attempt.lease();
        }
        count(NO_ELIGIBLE_REPLICA);
        NodeRuntime named = attempt.named();
        throw noEligibleReplica(ineligible, named != null ? "primary '" + named.name() + "' cannot take the fallback"
                        + " either: it " + attempt.why() : "no primary can take the fallback either: " + attempt.why(),
                attempt.cause() != null ? attempt.cause() : lastFailure);
    }

    /**
     * A read lease on the primary, or why there is none (as in {@link Target}). Saturation is thrown: it is not a
     * reason to go elsewhere.
     */
    private record PrimaryRead(@Nullable Lease lease, @Nullable NodeRuntime named, String why,
                               @Nullable Throwable cause) {
        String sentence() {
            return named == null ? why : "primary '" + named.name() + "' " + why;
        }
    }

    private PrimaryRead readPrimary(String reason, RouteRequest request) {
        Target target = writeTarget();
        NodeRuntime primary = target.usable();
        if (primary == null) {
            return new PrimaryRead(null, target.named(), Objects.requireNonNull(target.why()), null);
        }
        if (request.excluded().contains(primary.name())) {
            return new PrimaryRead(null, primary, "is excluded by this request", null);
        }
        try {
            return new PrimaryRead(lend(primary, Role.PRIMARY, reason), primary, "", null);
        } catch (AcquireFailure f) {
            if (f.kind() == AcquireFailure.Kind.SATURATED || f.kind() == AcquireFailure.Kind.TIMEOUT) {
                count(SATURATED);
                throw saturated(primary, f);
            }
            return new PrimaryRead(null, primary, f.kind() == AcquireFailure.Kind.BREAKER_OPEN
                    ? "has its " + primary.breakerDescription()
                    : "could not connect (" + Probe.describe(f.getCause()) + ")", f.getCause());
        }
    }

    private Lease lend(NodeRuntime node, Role role, String reason) throws AcquireFailure {
        Connection c = node.borrow();
        count(reason);
        return new RoutedLease(node, c, new NodeRef(node.name(), role), reason);
    }

    /** Why a replica may not serve this read now, or null when it may. */
    public @Nullable String replicaIneligibility(NodeRuntime r, Set<String> excluded) {
        if (excluded.contains(r.name())) {
            return "excluded by the request (a retry after it failed there)";
        }
        NodeHealth h = r.health();
        if (!h.checked()) {
            return "not checked yet";
        }
        if (!h.up()) {
            return "down (" + h.lastError() + ")";
        }
        if (h.observedRole() != Role.REPLICA) {
            return "not in recovery (pg_is_in_recovery() = false): it is a primary, not used as a replica";
        }
        if (h.offHistory() != null) {
            return h.offHistory();
        }
        if (r.breakerBlocks()) {
            return r.breakerDescription();
        }
        if (h.lagExcluded()) {
            return "lagging " + (h.lagBytes() == null ? "?" : h.lagBytes()) + " bytes / "
                    + (h.lag() == null ? "?" : Durations.format(h.lag())) + " behind the primary ("
                    + lagPolicy.describeLimits() + ")";
        }
        return null;
    }

    /** Why the primary may not take work now, or null when it may. */
    public @Nullable String primaryIneligibility(NodeRuntime p) {
        NodeHealth h = p.health();
        if (h.checked() && !h.up()) {
            return "is down (" + h.lastError() + ")";
        }
        if (h.up() && h.observedRole() == Role.REPLICA) {
            return "is in recovery (pg_is_in_recovery() = true): a standby cannot take writes";
        }
        if (p.breakerBlocks()) {
            return "has its " + p.breakerDescription();
        }
        return null;
    }

    private static PrimaryUnavailableException primaryUnavailable(String problem, @Nullable Throwable cause) {
        return new PrimaryUnavailableException(problem + "; the write was not applied and can be retried later",
                cause);
    }

    private static PoolSaturatedException saturated(NodeRuntime node, AcquireFailure f) {
        String what = f.kind() == AcquireFailure.Kind.SATURATED
                ? "all " + node.pool().maximumPoolSize() + " connections busy and the bulkhead's " + node.maxWaiting()
                        + " waiting places taken, so the call was turned away at once"
                : "no connection came free within connectionTimeout (waited " + f.waitedMillis() + "ms for one of "
                        + node.pool().maximumPoolSize() + ")";
        return new PoolSaturatedException("pool '" + node.poolName() + "' saturated: " + what + "; raise"
                + " resilience.bulkhead.maxWaiting or maximumPoolSize, shorten the units holding connections, or shed"
                + " load", f.getCause());
    }

    private NoEligibleReplicaException noEligibleReplica(Map<String, String> ineligible, @Nullable String primaryNote,
                                                         @Nullable Throwable cause) {
        StringBuilder sb = new StringBuilder("no replica can serve the read");
        if (ineligible.isEmpty()) {
            sb.append(" (none configured)");
        }
        ineligible.forEach((name, why) -> sb.append("; replica '").append(name).append("': ").append(why));
        if (primaryNote != null) {
            sb.append("; ").append(primaryNote);
        }
        sb.append(config.fallback() == FallbackPolicy.FAIL
                ? "; fallback is FAIL, so reads do not go to the primary (set 'fallback: primary' to allow it)"
                : "; fallback is PRIMARY");
        return new NoEligibleReplicaException(sb.toString(), cause);
    }

    private void count(String reason) {
        LongAdder adder = counts.get(reason);
        if (adder == null) {
            adder = counts.computeIfAbsent(reason, k -> new LongAdder());
        }
        adder.increment();
    }

    /** Decisions so far by reason, sorted by key. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public List<NodeStatus> snapshot() {
        List<NodeStatus> out = new ArrayList<>(all.size());
        PrimaryView view = monitor.view();
        for (NodeRuntime n : all) {
            boolean target = n == view.target();
            Role serving = n.config().role() != null ? n.config().role() : target ? Role.PRIMARY : Role.REPLICA;
            boolean eligible = serving == Role.PRIMARY
                    ? target && view.refusal() == null && n.health().up() && primaryIneligibility(n) == null
                    : replicaIneligibility(n, Set.of()) == null;
            out.add(n.status(eligible, serving));
        }
        return out;
    }

    /** Where writes go now, for {@code ClusterRouter.primaryStatus()}. */
    public PrimaryStatus primaryStatus() {
        PrimaryView view = monitor.view();
        Target target = writeTarget();
        NodeRuntime node = view.refusal() == null ? view.target() : null;
        return new PrimaryStatus(node == null ? null : node.name(), view.timeline(),
                view.claimants().stream().map(NodeRuntime::name).toList(),
                target.usable() == null ? target.sentence() : null, monitor.primaryChanges(),
                monitor.splitBrainEpisodes());
    }
}
