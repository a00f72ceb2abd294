package dev.junction.routing.internal;

import dev.junction.routing.SelectionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/** Picks one of the eligible replicas by the configured strategy. Thread-safe and lock-free. */
public final class ReplicaSelector {
    private final SelectionStrategy strategy;
    private final AtomicLong turn = new AtomicLong();

    public ReplicaSelector(SelectionStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * @param eligible    non-empty list of candidates, in a stable (configuration) order
     * @param outstanding leases currently outstanding on a candidate (used by LEAST_OUTSTANDING)
     */
    public <T> T choose(List<T> eligible, ToIntFunction<T> outstanding) {
        if (eligible.isEmpty()) {
            throw new IllegalArgumentException("eligible must not be empty");
        }
        if (eligible.size() == 1) {
            return eligible.get(0);
        }
        return switch (strategy) {
            case ROUND_ROBIN -> eligible.get(next(eligible.size()));
            case RANDOM -> eligible.get(ThreadLocalRandom.current().nextInt(eligible.size()));
            case LEAST_OUTSTANDING -> {
                int min = Integer.MAX_VALUE;
                List<T> least = new ArrayList<>(eligible.size());
                for (T candidate : eligible) {
                    int n = outstanding.applyAsInt(candidate);
                    if (n < min) {
                        min = n;
                        least.clear();
                    }
                    if (n == min) {
                        least.add(candidate);
                    }
                }
                yield least.get(next(least.size()));
            }
        };
    }

    private int next(int size) {
        return (int) Math.floorMod(turn.getAndIncrement(), (long) size);
    }
}
