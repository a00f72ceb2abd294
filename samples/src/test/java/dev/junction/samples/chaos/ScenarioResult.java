package dev.junction.samples.chaos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one chaos scenario, as written to {@code target/chaos/report.json}.
 *
 * @param scenario                the scenario's name, e.g. {@code replica-kill}
 * @param attempted               units of work the load started (writes, token reads, eventual reads)
 * @param failed                  units that threw
 * @param failedReads             of those, reads (token and eventual)
 * @param failedWrites            of those, writes
 * @param acknowledgedWrites      writes whose commit returned
 * @param acknowledgedWritesLost  acknowledged writes missing on the primary afterwards
 * @param replicaRowsMissing      acknowledged writes missing on a replica once it caught up, summed over replicas
 * @param inDoubtWrites           writes whose connection was lost during the commit (outcome unknown, not counted
 *                                as acknowledged)
 * @param tokenReads              reads made after the writer's own token
 * @param staleReads              token reads that did not see their own write
 * @param leakedConnections       connections still lent out or busy after the load stopped, sessions of ours beyond
 *                                the idle pool connections, and sessions left after the router closed
 * @param leakedThreads           router threads (monitor, pool housekeeping, budget timer) alive after it closed
 * @param extraProcesses          server processes that should not exist: a second postmaster for a node, or a
 *                                backend of a killed server that outlived it
 * @param p99Millis               99th percentile of all units' latency
 * @param maxMillis               the slowest unit
 * @param detectMillis            from the fault until the router noticed it (see the scenario), -1 when it did not
 * @param recoveryMillis          from the repair until the load was served normally again (see the scenario), -1
 *                                when it was not
 * @param durationMillis          how long the load ran
 * @param failures                failed units by exception class
 * @param routing                 the router's decisions by reason
 * @param extras                  figures particular to the scenario
 */
record ScenarioResult(String scenario, long attempted, long failed, long failedReads, long failedWrites,
                      long acknowledgedWrites, long acknowledgedWritesLost, long replicaRowsMissing,
                      long inDoubtWrites, long tokenReads, long staleReads, long leakedConnections,
                      long leakedThreads, long extraProcesses, double p99Millis, double maxMillis,
                      long detectMillis, long recoveryMillis, long durationMillis, Map<String, Long> failures,
                      Map<String, Long> routing, Map<String, Object> extras) {

    ScenarioResult {
        failures = new TreeMap<>(failures);
        routing = new TreeMap<>(routing);
        extras = new LinkedHashMap<>(extras);
    }

    Map<String, Object> toJsonFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("attempted", attempted);
        m.put("failed", failed);
        m.put("acknowledged_writes_lost", acknowledgedWritesLost);
        m.put("stale_reads", staleReads);
        m.put("leaked_connections", leakedConnections);
        m.put("recovery_ms", recoveryMillis);
        m.put("detect_ms", detectMillis);
        m.put("p99_ms", p99Millis);
        m.put("max_ms", maxMillis);
        m.put("failed_reads", failedReads);
        m.put("failed_writes", failedWrites);
        m.put("acknowledged_writes", acknowledgedWrites);
        m.put("replica_rows_missing", replicaRowsMissing);
        m.put("in_doubt_writes", inDoubtWrites);
        m.put("token_reads", tokenReads);
        m.put("leaked_threads", leakedThreads);
        m.put("extra_processes", extraProcesses);
        m.put("duration_ms", durationMillis);
        m.put("failures", failures);
        m.put("routing", routing);
        m.putAll(extras);
        return m;
    }
}
