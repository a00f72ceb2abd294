package dev.junction.routing;

import dev.junction.ConfigurationException;
import java.util.Objects;

/**
 * How much of the primary's pool plain (eventual) reads may take. When every eligible replica's pool is busy and the
 * primary has an idle connection, a read may <em>spill</em> to the primary instead of queueing on a replica (counted
 * {@code spill_primary}); reads that fall back to the primary because no replica is eligible are bounded by the same
 * share (beyond it they wait for a place, counted {@code fallback_capped}, and are refused with
 * {@link dev.junction.PoolSaturatedException} after the primary pool's {@code connectionTimeout}). Either way at
 * most {@code max(1, floor(primaryShare * maximumPoolSize))} reads hold primary connections at once, so writes keep
 * the rest. Reads that only the primary may serve (strong consistency, tokens it must answer) and reads of a cluster
 * without replicas are not counted against the share.
 *
 * <p>Immutable and thread-safe, with value equality; start from {@link #defaults()} (spill on, a quarter of the
 * primary pool) or {@link #builder()} and derive a changed copy with {@link #from(SpillSettings)}.
 */
public final class SpillSettings {
    /** Default of {@link #primaryShare()}. */
    public static final double DEFAULT_PRIMARY_SHARE = 0.25;

    private static final SpillSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final double primaryShare;

    private SpillSettings(Builder b) {
        this.enabled = b.enabled;
        this.primaryShare = b.primaryShare;
    }

    /** Spill on, primaryShare 0.25. */
    public static SpillSettings defaults() {
        return DEFAULTS;
    }

    /** A builder holding {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, to derive a changed copy. */
    public static Builder from(SpillSettings existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.enabled = existing.enabled;
        b.primaryShare = existing.primaryShare;
        return b;
    }

    /** Whether reads spill to the primary when the replicas are busy; the cap on fallback reads applies either way. */
    public boolean enabled() {
        return enabled;
    }

    /** The share of the primary pool that spilled and fallback reads together may hold, in (0, 1]. */
    public double primaryShare() {
        return primaryShare;
    }

    /** The most spilled and fallback reads at once on a primary pool of {@code poolSize} connections (at least 1). */
    public int capFor(int poolSize) {
        return Math.max(1, (int) Math.floor(primaryShare * poolSize));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpillSettings other && enabled == other.enabled
                && Double.compare(primaryShare, other.primaryShare) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, primaryShare);
    }

    @Override
    public String toString() {
        return "SpillSettings[enabled=" + enabled + ", primaryShare=" + primaryShare + "]";
    }

    /**
     * Options of {@link SpillSettings}. Mutable and not thread-safe; each setter checks its value at once
     * ({@link ConfigurationException}, the one place the option is checked), and {@link #build()} copies the values,
     * so a builder can be reused.
     */
    public static final class Builder {
        private boolean enabled = true;
        private double primaryShare = DEFAULT_PRIMARY_SHARE;

        private Builder() {
        }

        /** Whether reads spill to the primary when every eligible replica is busy (default true). */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /**
         * The share of the primary pool that spilled and fallback reads may hold together (default 0.25).
         *
         * @throws ConfigurationException when {@code share} is not in (0, 1]
         */
        public Builder primaryShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new ConfigurationException("spill.primaryShare must be > 0 and <= 1 (e.g. 0.25 for a quarter"
                        + " of the primary pool), but was " + share);
            }
            this.primaryShare = share;
            return this;
        }

        /** The settings; each value was checked by its setter. */
        public SpillSettings build() {
            return new SpillSettings(this);
        }
    }
}
