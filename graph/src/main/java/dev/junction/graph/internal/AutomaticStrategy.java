package dev.junction.graph.internal;

import java.util.Locale;
import java.util.OptionalInt;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * Picks {@link JoinStrategy}, {@link MultisetStrategy} or {@link PerLevelStrategy} per fetch from the graph's shape
 * and the number of roots it can read at most: the root query's limit, or the number of values of a {@code where} on
 * a one-column primary key ({@code ID.eq(x)}, {@code ID.in(a, b, c)}); otherwise the number is unknown.
 *
 * <ul>
 *   <li>No to-many relation: {@code join} (one statement, one row per root).
 *   <li>Levels that can be sent in one message ({@link GraphPlan#limitedLevelsKeyed}): {@code per-level}. One
 *       round trip like a join or MULTISET, without the join's rows multiplied by every to-many level (and sorted)
 *       or MULTISET's JSON; measured faster than both at 1, 20 and 200 roots, on loopback and at 1 ms per round trip
 *       (docs/graph-fetch-benchmark.md). Except for many roots near the database, where re-selecting the parents'
 *       keys in every level costs the server more than the round trips it saves: then a statement per level
 *       ({@link #statementPerLevelPays}), when the unit's configuration carries the round-trip time
 *       ({@code NetworkHints}, which Junction's Database fills in from the router's measurement).
 *   <li>Otherwise (a limited level without a primary key, whose rows each statement would have to select alike),
 *       per-level needs a round trip per level, so for few roots: {@code join} when the to-many relations lie on one
 *       path and there are at most {@link #JOIN_MAX_ROOTS_ONE_LEVEL} roots (one to-many relation) or
 *       {@link #JOIN_MAX_ROOTS_NESTED} (several); {@code multiset} for branches and at most
 *       {@link #MULTISET_MAX_ROOTS} roots; else {@code per-level}.
 * </ul>
 */
final class AutomaticStrategy extends BuiltInStrategy {
    static final AutomaticStrategy INSTANCE = new AutomaticStrategy();
    /** The most roots read with a flat join when the graph has one to-many relation. */
    static final int JOIN_MAX_ROOTS_ONE_LEVEL = 50;
    /**
     * The most roots read with a flat join when two or more to-many relations lie on its path: every level multiplies
     * the rows (actors x films x categories), so per-level's extra round trips pay off much sooner.
     */
    static final int JOIN_MAX_ROOTS_NESTED = 10;
    /** The most roots read with MULTISET when the graph has to-many branches that cannot be joined. */
    static final int MULTISET_MAX_ROOTS = 5;

    /**
     * The server's extra work per root of the one-message form, measured with {@code ./dev bench graph-fetch} at 200
     * roots on loopback: 7-13 us per root (wide and narrow film graphs, docs/graph-fetch-benchmark.md).
     */
    static final long RESELECT_NANOS_PER_ROOT = 10_000;

    private AutomaticStrategy() {
    }

    @Override
    public String name() {
        return "automatic";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return null;
    }

    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        throw new IllegalStateException("automatic() delegates to the strategy it chooses");
    }

    @Override
    Choice choose(Bound bound, long roundTripNanos) {
        GraphPlan plan = bound.plan();
        boolean joinable = JoinStrategy.INSTANCE.unsupported(plan) == null;
        OptionalInt roots = bound.maxRoots();
        String size = roots.isPresent() ? "at most " + roots.getAsInt() + " roots" : "roots not bounded";
        if (plan.toManyCount == 0 && joinable) {
            return new Choice(JoinStrategy.INSTANCE, "automatic: to-one relations only");
        }
        if (plan.limitedLevelsKeyed) {
            if (roots.isPresent() && statementPerLevelPays(roots.getAsInt(), plan.toManyCount, roundTripNanos)) {
                return new Choice(PerLevelStrategy.EACH, "automatic: " + plan.toManyCount + " to-many, a round trip"
                        + " per level (" + String.format(Locale.ROOT, "%.2f", roundTripNanos / 1e6) + " ms each), "
                        + size);
            }
            return new Choice(PerLevelStrategy.DEFAULT, "automatic: " + plan.toManyCount + " to-many, levels in one"
                    + " round trip, " + size);
        }
        boolean few = roots.isPresent();
        int joinMax = plan.toManyCount <= 1 ? JOIN_MAX_ROOTS_ONE_LEVEL : JOIN_MAX_ROOTS_NESTED;
        if (joinable && few && roots.getAsInt() <= joinMax) {
            return new Choice(JoinStrategy.INSTANCE, "automatic: " + plan.toManyCount + " to-many on one path, "
                    + size);
        }
        if (!joinable && few && roots.getAsInt() <= MULTISET_MAX_ROOTS
                && MultisetStrategy.INSTANCE.unsupported(plan) == null) {
            return new Choice(MultisetStrategy.INSTANCE, "automatic: " + plan.toManyCount + " to-many, not"
                    + " joinable, " + size);
        }
        return new Choice(PerLevelStrategy.DEFAULT, "automatic: " + plan.toManyCount + " to-many, "
                + (joinable ? "" : "not joinable, ") + size);
    }

    /**
     * Whether reading {@code roots} roots with a statement and round trip per level beats sending every level in one
     * message, at {@code roundTripNanos} per round trip. In one message each level selects its parents' keys again
     * through the levels above, which costs the server about {@link #RESELECT_NANOS_PER_ROOT} per root; a statement
     * per level binds them once but pays a round trip per level below the root, counted as one per to-many relation
     * and one more (above {@link PerLevelStrategy#FOLD_MAX_ROOTS} roots to-one relations are read by statements of
     * their own too). Only above that many roots, and only when the round-trip time is known.
     */
    static boolean statementPerLevelPays(int roots, int toManyCount, long roundTripNanos) {
        return roundTripNanos >= 0 && roots > PerLevelStrategy.FOLD_MAX_ROOTS
                && (long) roots * RESELECT_NANOS_PER_ROOT > (toManyCount + 1L) * roundTripNanos;
    }

    @Override
    public String toString() {
        return "Strategy.automatic()";
    }
}
