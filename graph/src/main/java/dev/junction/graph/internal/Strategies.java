package dev.junction.graph.internal;

import dev.junction.graph.Strategy;

/** The instances behind {@link Strategy}'s factory methods, which document them. */
public final class Strategies {
    private Strategies() {
    }

    /** {@link Strategy#perLevel()}. */
    public static Strategy perLevel() {
        return PerLevelStrategy.DEFAULT;
    }

    /** {@link Strategy#perLevel(int)}. */
    public static Strategy perLevel(int maxKeysPerStatement) {
        return new PerLevelStrategy(maxKeysPerStatement, false);
    }

    /** {@link Strategy#join()}. */
    public static Strategy join() {
        return JoinStrategy.INSTANCE;
    }

    /** {@link Strategy#multiset()}. */
    public static Strategy multiset() {
        return MultisetStrategy.INSTANCE;
    }

    /** {@link Strategy#automatic()}. */
    public static Strategy automatic() {
        return AutomaticStrategy.INSTANCE;
    }
}
