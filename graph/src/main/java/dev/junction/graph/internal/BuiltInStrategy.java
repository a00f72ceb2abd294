package dev.junction.graph.internal;

import dev.junction.UnitReport;
import dev.junction.graph.GraphQuery;
import dev.junction.graph.GraphRow;
import dev.junction.graph.Strategy;
import dev.junction.spi.NetworkHints;
import dev.junction.spi.UnitSections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategies Junction ships: they share the plan, the applicability check and the report of what ran (a debug
 * line on the {@code dev.junction.graph.Strategy} logger and a note in Junction's unit-of-work report, handed over
 * through {@link UnitReport#NOTES_KEY}). Neither the line nor the note contains the query's filter values.
 */
abstract sealed class BuiltInStrategy implements Strategy
        permits PerLevelStrategy, JoinStrategy, MultisetStrategy, AutomaticStrategy {
    private static final Logger log = LoggerFactory.getLogger(Strategy.class);

    /** What one fetch did. */
    record Outcome<R extends Record>(List<GraphRow<R>> rows, int statements, int roundTrips, long rowsRead) {
    }

    /** Why this strategy cannot read {@code plan}'s query, or null when it can. */
    abstract @Nullable String unsupported(GraphPlan plan);

    /** Reads the graph of {@code bound}'s queries; its plan was checked with {@link #unsupported}. */
    abstract <R extends Record> Outcome<R> run(DSLContext ctx, Bound bound);

    /**
     * The strategy that reads {@code bound} and why, for the report; concrete strategies return themselves.
     *
     * @param roundTripNanos the round-trip time to the database ({@link NetworkHints}), -1 when unknown
     */
    Choice choose(Bound bound, long roundTripNanos) {
        return new Choice(this, "chosen per call");
    }

    record Choice(BuiltInStrategy strategy, String reason) {
    }

    @Override
    public final Strategy resolve(GraphQuery<?> query) {
        return choose(GraphPlan.bind(query), -1).strategy();
    }

    @Override
    public final <R extends Record> List<GraphRow<R>> fetch(DSLContext ctx, GraphQuery<R> query) {
        Bound bound = GraphPlan.bind(query);
        Choice choice = choose(bound, NetworkHints.roundTripNanos(ctx.configuration()));
        String problem = choice.strategy().unsupported(bound.plan());
        if (problem != null) {
            throw new IllegalArgumentException("graph fetch " + QueryText.shape(query) + " cannot be read with "
                    + choice.strategy() + ": " + problem + "; use Strategy.automatic() or another strategy");
        }
        long start = System.nanoTime();
        // A traced unit shows the fetch as its own span, the parent of the statements it runs.
        UnitSections.Section section = ctx.configuration().data(UnitSections.KEY) instanceof UnitSections sections
                ? sections.open("graph", choice.strategy().name()) : null;
        Outcome<R> outcome;
        try {
            outcome = choice.strategy().run(ctx, bound);
            if (section != null) {
                section.completed(outcome.statements(), outcome.roundTrips());
            }
        } catch (RuntimeException | Error e) {
            if (section != null) {
                section.failed(e);
            }
            throw e;
        } finally {
            if (section != null) {
                section.close();
            }
        }
        report(ctx, query, choice, outcome, System.nanoTime() - start);
        return outcome.rows();
    }

    private static void report(DSLContext ctx, GraphQuery<?> query, Choice choice, Outcome<?> outcome, long nanos) {
        Object sink = ctx.configuration().data(UnitReport.NOTES_KEY);
        if (!log.isDebugEnabled() && !(sink instanceof Consumer<?>)) {
            return;
        }
        int n = outcome.statements();
        int trips = outcome.roundTrips();
        String line = "graph fetch " + QueryText.shape(query) + ": " + choice.strategy().name() + " (" + choice.reason()
                + "), " + n + (n == 1 ? " statement, " : " statements, ") + trips + (trips == 1 ? " round trip, "
                : " round trips, ") + outcome.rowsRead() + " rows read, " + outcome.rows().size() + " roots";
        if (sink instanceof Consumer<?> consumer) {
            @SuppressWarnings("unchecked")
            Consumer<String> notes = (Consumer<String>) consumer;
            notes.accept(line);
        }
        log.debug("{} in {} ms", line, String.format(Locale.ROOT, "%.2f", nanos / 1e6));
    }
}
