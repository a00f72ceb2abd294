package dev.junction.samples.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one closed-loop run of one implementation at one user count measured, over its measurement window.
 *
 * @param impl                   {@code naive}, {@code tuned} or {@code junction}
 * @param users                  concurrent virtual users
 * @param requests               HTTP requests started in the window and finished (any outcome)
 * @param errors                 of those, the failed ones: timeouts, transport errors, 5xx, unexpected 4xx, and
 *                               read-backs that did not show the user's own write
 * @param errorsByKind           errors by kind: {@code timeout}, {@code io}, {@code 503}, {@code 5xx},
 *                               {@code 4xx}, {@code stale}
 * @param windowSeconds          the measurement window
 * @param throughputRps          successful requests per second
 * @param p50Ms                  latency percentiles over all requests, failed ones included (a timed-out request at
 *                               the client's timeout), from an HdrHistogram (within 0.1%)
 * @param p95Ms                  95th percentile
 * @param p99Ms                  99th percentile
 * @param roundTripsPerRequest   database round trips per request answered by the service (Junction: its unit
 *                               reports; the others: statements plus commits and rollbacks)
 * @param connectionHoldMsPerRequest connection time per request: the sum of the time connections were out of the
 *                               pools, divided by the requests answered
 * @param poolWaitMsPerRequest   time per request spent waiting for a pooled connection, by Little's law from the
 *                               sampled number of waiting threads
 * @param maxWaiting             the most threads seen waiting for a connection at once
 * @param sheds                  requests the service refused at once because a pool's bulkhead was full
 *                               ({@code PoolSaturatedException}, answered 503) in the window
 * @param spills                 eventual reads the router served on the primary because the replicas were saturated
 *                               (route reason {@code spill_primary}) in the window; 0 for implementations without
 *                               such routing
 * @param cpuMsPerRequest        CPU time of the whole benchmark (this JVM: service, load generator, proxies; and
 *                               the PostgreSQL servers) per request answered
 * @param dbCpuMsPerRequest      of that, the PostgreSQL servers' share
 * @param thinkMs                mean think time between two requests of a user
 * @param roundTripLatencyMs     network latency the proxy adds per database round trip
 * @param endpoints              per request of the mix ({@link ClosedLoop#ENDPOINTS}) that was sent
 */
public record LoadResult(String impl, int users, long requests, long errors, Map<String, Long> errorsByKind,
                         double windowSeconds, double throughputRps, double p50Ms, double p95Ms, double p99Ms,
                         double roundTripsPerRequest, double connectionHoldMsPerRequest, double poolWaitMsPerRequest,
                         int maxWaiting, long sheds, long spills, double cpuMsPerRequest, double dbCpuMsPerRequest,
                         double thinkMs, double roundTripLatencyMs, Map<String, Endpoint> endpoints) {
    public LoadResult {
        errorsByKind = new TreeMap<>(errorsByKind);
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** Errors as a share of requests, 0..1. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /**
     * One request of the mix in the window.
     *
     * @param requests finished requests, any outcome
     * @param errors   of those, the failed ones
     * @param p50Ms    latency percentiles, failed requests included
     * @param p95Ms    95th percentile
     * @param p99Ms    99th percentile
     */
    public record Endpoint(long requests, long errors, double p50Ms, double p95Ms, double p99Ms) {
    }
}
