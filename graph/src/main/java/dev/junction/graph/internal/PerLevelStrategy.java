package dev.junction.graph.internal;

import dev.junction.graph.GraphRow;
import dev.junction.graph.Strategy;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/**
 * One statement per level: the roots first, then for each to-many relation the children of all parents. In one
 * message (the default, {@link Strategy#perLevel()}) each statement selects its parents' keys itself with a subquery
 * that repeats the parent level's selection ({@link ParentKeys}), so all are sent at once; statement by statement
 * ({@link Strategy#perLevel(int)}) the keys read so far are bound, {@code child.fk = ANY(?)} (one array bind;
 * {@code (a, b) IN (SELECT * FROM unnest(?, ?))} for composite keys), in chunks of at most {@code maxKeys} parent
 * keys. To-one relations are left-joined into the statement of the level that references them, so a chain of to-ones
 * costs no extra round trip; their rows are mapped once per key, so a shared row (and everything below it) is one
 * node and its children are fetched once. Children keep their query's
 * order; a per-parent limit or offset is applied with {@code row_number() OVER (PARTITION BY fk ...)}. Below the
 * root, a to-one with relations of its own gets a statement of its own (its shared rows are read once) unless the
 * query reads at most {@link #FOLD_MAX_ROOTS} roots, where the round trip costs more than the repeated rows.
 *
 * <p>Compiling and running are apart: the levels and their SQL ({@link PerLevelPlan}) are made once per graph shape
 * and rendering configuration ({@link GraphPlan#compiled}); a fetch ({@link PerLevelRun}) binds its filter, order,
 * limit and key values to them and assembles the rows. With more than one level the statements run on one connection
 * and one snapshot ({@link Snapshot}).
 */
final class PerLevelStrategy extends BuiltInStrategy {
    static final int DEFAULT_MAX_KEYS = 5_000;
    static final PerLevelStrategy DEFAULT = new PerLevelStrategy(DEFAULT_MAX_KEYS, true);
    /** A statement and a round trip per level: what the automatic choice takes for many roots near the database. */
    static final PerLevelStrategy EACH = new PerLevelStrategy(DEFAULT_MAX_KEYS, false);
    /**
     * The most roots for which every to-one relation is joined into its parent's statement, also one with relations
     * of its own: below that a repeated to-one row costs less than the round trip of a statement of its own.
     */
    static final int FOLD_MAX_ROOTS = 50;
    /** The names of the compiled forms, by (to-ones joined ? 1 : 0) + (in one message ? 2 : 0). */
    private static final String[] VARIANTS = {"per-level", "per-level, to-ones joined", "per-level, in one message",
        "per-level, to-ones joined, in one message"};

    private final int maxKeys;
    /** Whether the levels' statements may travel in one message (see {@link PerLevelPlan#compile}). */
    private final boolean pipelined;

    PerLevelStrategy(int maxKeys, boolean pipelined) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeysPerStatement must be >= 1, but was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.pipelined = pipelined;
    }

    @Override
    public String name() {
        return "per-level";
    }

    @Override
    @Nullable String unsupported(GraphPlan plan) {
        return null;
    }

    @Override
    <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound) {
        // Few roots: a to-one read by a statement of its own saves repeating few rows, but costs a statement (and a
        // round trip when the statements are sent one by one).
        boolean fold = bound.maxRoots().orElse(Integer.MAX_VALUE) <= FOLD_MAX_ROOTS;
        GraphPlan plan = bound.plan();
        boolean together = pipelined && plan.limitedLevelsKeyed;
        PerLevelPlan levels = plan.compiled(ctx, VARIANTS[(fold ? 1 : 0) + (together ? 2 : 0)],
                c -> PerLevelPlan.compile(plan, fold, together, c));
        long[] rows = {0};
        Snapshot[] used = new Snapshot[1];
        Assembly assembly = new Assembly();
        List<GraphRow<?>> roots = levels.levels.length > 1
                ? Snapshot.read(ctx, s -> new PerLevelRun(maxKeys, used[0] = s, rows, levels, bound, assembly).all())
                : new PerLevelRun(maxKeys, used[0] = Snapshot.single(ctx), rows, levels, bound, assembly).all();
        int statements = used[0].statements();
        return new Outcome<>(assembly.finish(roots), statements,
                levels.together != null ? 1 : statements, rows[0]);
    }

    @Override
    public String toString() {
        return pipelined ? "Strategy.perLevel()" : "Strategy.perLevel(" + maxKeys + ")";
    }
}
