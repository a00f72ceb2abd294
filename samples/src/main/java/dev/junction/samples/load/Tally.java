package dev.junction.samples.load;

import dev.junction.samples.bench.Latencies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The measured requests of one run, by request of the mix: latencies (in an HdrHistogram, see {@link Latencies}),
 * failures and their kinds. Every user of the run records into the same tally; thread-safe.
 */
final class Tally {
    private final String[] endpoints;
    private final Latencies all = new Latencies();
    private final Latencies[] latencies;
    private final LongAdder[] errors;
    private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

    Tally(String[] endpoints) {
        this.endpoints = endpoints.clone();
        this.latencies = new Latencies[endpoints.length];
        this.errors = new LongAdder[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            latencies[i] = new Latencies();
            errors[i] = new LongAdder();
        }
    }

    /** One finished request of {@code endpoint} (an index into the names), failed when {@code error} is not null. */
    void record(int endpoint, long nanos, @Nullable String error) {
        all.record(nanos);
        latencies[endpoint].record(nanos);
        if (error != null) {
            errors[endpoint].increment();
            kinds.computeIfAbsent(error, k -> new LongAdder()).increment();
        }
    }

    long requests() {
        return all.count();
    }

    long errors() {
        long sum = 0;
        for (LongAdder e : errors) {
            sum += e.sum();
        }
        return sum;
    }

    /** Failures by kind, sorted by kind. */
    Map<String, Long> errorsByKind() {
        Map<String, Long> out = new TreeMap<>();
        kinds.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Every request's latency, failed ones included. */
    Latencies all() {
        return all;
    }

    /** Per request of the mix that was sent at least once, in the order of the names: count, errors, p50/p95/p99. */
    Map<String, LoadResult.Endpoint> endpoints() {
        Map<String, LoadResult.Endpoint> out = new LinkedHashMap<>();
        for (int i = 0; i < endpoints.length; i++) {
            Latencies l = latencies[i];
            if (l.count() > 0) {
                out.put(endpoints[i], new LoadResult.Endpoint(l.count(), errors[i].sum(), l.percentileMs(0.5),
                        l.percentileMs(0.95), l.percentileMs(0.99)));
            }
        }
        return out;
    }
}
