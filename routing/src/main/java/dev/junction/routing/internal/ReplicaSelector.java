package dev.junction.routing.internal;

import dev.junction.routing.SelectionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Picks one of the eligible replicas by the configured strategy, honouring each replica's weight: round-robin visits
 * a replica of weight 3 three times per turn, random picks it with three times the chance, least-outstanding and
 * latency-aware divide its load by 3. Thread-safe and lock-free.
 */
public final class ReplicaSelector {
    /** Latency-aware scores are spread by up to this much either way, so equal replicas are not herded onto one. */
    static final double JITTER = 0.1;

    private final SelectionStrategy strategy;
    private final AtomicLong turn = new AtomicLong();

    public ReplicaSelector(SelectionStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * Chooses among replicas of equal weight whose latency is unknown.
     *
     * @param eligible    non-empty list of candidates, in a stable (configuration) order
     * @param outstanding leases currently outstanding on a candidate (used by LEAST_OUTSTANDING and LATENCY_AWARE)
     */
    public <T> T choose(List<T> eligible, ToIntFunction<T> outstanding) {
        return choose(eligible, outstanding, c -> 1, c -> -1);
    }

    /**
     * @param eligible     non-empty list of candidates, in a stable (configuration) order
     * @param outstanding  leases currently outstanding on a candidate
     * @param weight       a candidate's weight, >= 1
     * @param latencyNanos a candidate's recent response time in nanoseconds, or a negative value when unknown (then
     *                     it counts as the fastest known, so a replica without samples yet is tried)
     */
    public <T> T choose(List<T> eligible, ToIntFunction<T> outstanding, ToIntFunction<T> weight,
                        ToLongFunction<T> latencyNanos) {
        if (eligible.isEmpty()) {
            throw new IllegalArgumentException("eligible must not be empty");
        }
        if (eligible.size() == 1) {
            return eligible.get(0);
        }
        return switch (strategy) {
            case ROUND_ROBIN -> weighted(eligible, weight, next(totalWeight(eligible, weight)));
            case RANDOM -> weighted(eligible, weight,
                    ThreadLocalRandom.current().nextLong(totalWeight(eligible, weight)));
            case LEAST_OUTSTANDING -> leastOutstanding(eligible, outstanding, weight);
            case LATENCY_AWARE -> fastest(eligible, outstanding, weight, latencyNanos);
        };
    }

    private static <T> long totalWeight(List<T> eligible, ToIntFunction<T> weight) {
        long total = 0;
        for (T candidate : eligible) {
            total += weight.applyAsInt(candidate);
        }
        return total;
    }

    /** The candidate whose run of {@code weight} slots, laid out in order, holds {@code slot}. */
    private static <T> T weighted(List<T> eligible, ToIntFunction<T> weight, long slot) {
        long left = slot;
        for (T candidate : eligible) {
            left -= weight.applyAsInt(candidate);
            if (left < 0) {
                return candidate;
            }
        }
        return eligible.get(eligible.size() - 1);
    }

    /** Fewest outstanding leases per unit of weight; ties in turn. */
    private <T> T leastOutstanding(List<T> eligible, ToIntFunction<T> outstanding, ToIntFunction<T> weight) {
        List<T> least = new ArrayList<>(eligible.size());
        long bestLoad = 0;
        long bestWeight = 1;
        for (T candidate : eligible) {
            long load = outstanding.applyAsInt(candidate);
            long w = weight.applyAsInt(candidate);
            // load / w compared with bestLoad / bestWeight without division
            long cmp = least.isEmpty() ? -1 : Long.compare(load * bestWeight, bestLoad * w);
            if (cmp < 0) {
                least.clear();
                bestLoad = load;
                bestWeight = w;
            }
            if (cmp <= 0) {
                least.add(candidate);
            }
        }
        return least.get(next(least.size()));
    }

    /**
     * The lowest {@code latency × (outstanding + 1) / weight}, each score spread by a random factor within
     * ±{@link #JITTER}: a replica that answers in 20 ms gets a read only once the one that answers in 1 ms has about
     * twenty outstanding, and replicas within a few percent of each other share the reads.
     */
    private static <T> T fastest(List<T> eligible, ToIntFunction<T> outstanding, ToIntFunction<T> weight,
                                 ToLongFunction<T> latencyNanos) {
        long fastestKnown = Long.MAX_VALUE;
        for (T candidate : eligible) {
            long l = latencyNanos.applyAsLong(candidate);
            if (l >= 0 && l < fastestKnown) {
                fastestKnown = l;
            }
        }
        // When no latency is known every candidate is unknown, so their common value does not matter.
        double unknown = Math.max(1, fastestKnown);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        T best = eligible.get(0);
        double bestScore = Double.MAX_VALUE;
        for (T candidate : eligible) {
            long l = latencyNanos.applyAsLong(candidate);
            double latency = l < 0 ? unknown : Math.max(1, l);
            double score = latency * (outstanding.applyAsInt(candidate) + 1) / weight.applyAsInt(candidate)
                    * (1 - JITTER + 2 * JITTER * random.nextDouble());
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    private int next(long size) {
        return (int) Math.floorMod(turn.getAndIncrement(), size);
    }
}
