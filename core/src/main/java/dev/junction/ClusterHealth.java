package dev.junction;

import dev.junction.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A health verdict on the nodes a Database routes between, for readiness checks, health endpoints and dashboards.
 * The router computes it from its monitor's last observations, without I/O on the caller's thread, so it is cheap
 * enough for every health request; take a new one for a newer picture. An immutable snapshot (thread-safe).
 *
 * <p>The states:
 * <ul>
 *   <li>{@link State#UP}: the node writes go to may take them now, and every replica may serve reads (reached by
 *       the last check, in recovery, circuit breaker not open, within the lag limits);</li>
 *   <li>{@link State#DEGRADED}: writes work, but at least one replica may not serve reads; {@link #reasons()} names
 *       each such replica and why. When no replica may, reads run on the primary or fail, by the fallback policy,
 *       and a reason says which;</li>
 *   <li>{@link State#DOWN}: no node may take writes now (the primary is unreachable, in recovery, its breaker is
 *       open, or the router refuses writes during a failover or a split brain); writes fail with
 *       {@link PrimaryUnavailableException}. Reads may still be served by replicas.</li>
 * </ul>
 *
 * <p>Node details carry no credentials: URLs without user information or parameters, errors as the monitor logged
 * them (no secrets).
 *
 * @param state   the verdict
 * @param nodes   one entry per configured node, in configuration order
 * @param reasons why the state is not {@link State#UP}, one sentence per problem, naming the node; empty when UP
 */
public record ClusterHealth(State state, List<Node> nodes, List<String> reasons) {
    public ClusterHealth {
        Objects.requireNonNull(state, "state");
        nodes = List.copyOf(nodes);
        reasons = List.copyOf(reasons);
    }

    /** The verdict, from best to worst. */
    public enum State {
        /** Writes and reads are served as configured. */
        UP,
        /** Writes work; at least one replica serves no reads. */
        DEGRADED,
        /** Writes fail: no node may take them now. */
        DOWN
    }

    /**
     * One node as the router last saw it.
     *
     * @param name         the configured node name
     * @param url          its JDBC URL without user information or parameters ({@code jdbc:postgresql://host:5432/db}
     *                     or {@code ...?...} when it has parameters), safe to show
     * @param role         the role the router uses it in now: the configured one, or for a node whose role is
     *                     discovered {@code PRIMARY} while it is the write target and {@code REPLICA} otherwise
     * @param observedRole the role the monitor saw ({@code pg_is_in_recovery()}), null before its first successful
     *                     check
     * @param up           whether the monitor's last check reached the node
     * @param eligible     whether it may serve its role now
     * @param lag          a replica's estimated staleness (null for the primary or when unknown)
     * @param lagBytes     WAL bytes a replica has not replayed (null for the primary or when unknown)
     * @param lastChecked  when the monitor last checked it (null before the first check)
     * @param problem      why it may not serve its role, in the words of the router's exception messages: for
     *                     the primary a predicate such as {@code is down (SQLState 08001: ...)}, for a replica a
     *                     phrase such as {@code down (...)} or {@code lagging ... behind the primary}; null when
     *                     eligible
     */
    public record Node(String name, String url, Role role, @Nullable Role observedRole, boolean up, boolean eligible,
                       @Nullable Duration lag, @Nullable Long lagBytes, @Nullable Instant lastChecked,
                       @Nullable String problem) {
        public Node {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(role, "role");
        }
    }
}
