package dev.junction.samples.graphfetch;

import dev.junction.graph.Strategy;
import dev.junction.samples.bench.Latencies;
import dev.junction.spi.NetworkHints;
import dev.junction.testkit.EmbeddedPostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;

/**
 * {@code ./dev bench graph-fetch [rounds]}: "the first N actors with their films and the films' categories" on the
 * film catalogue, read by the four hand-written shapes of {@link FilmCatalogue}, by the generated fetcher with each
 * strategy named ({@code generated:per-level}, {@code generated:per-level-each}, {@code generated:join},
 * {@code generated:multiset}) and with the automatic choice ({@code generated}), at 1, 20 and 200 actors, directly
 * (loopback) and through the testkit's TCP proxy with 1 ms added per round trip. Every point first checks that all
 * shapes return the same graph, then times them interleaved, in another (seeded) order each round, so drift on a busy
 * machine hits all alike, and reports the median. The {@code wide} variant repeats it over {@link WideFilmCatalogue},
 * whose films carry wide columns the page does not show: hand-written shapes that choose the page's columns against
 * the generated fetch with the same projection. Writes {@code target/bench/graph-fetch.json}: a list of
 * {@code {"variant", "roots", "rtt_ms", "strategy", "median_ms", "statements", "round_trips"}} (selects run, and
 * messages sent through jOOQ, each one round trip), and prints at each point how the automatic choice compares with
 * the fastest hand-written shape and with the fastest generated strategy.
 */
public final class GraphFetchBench {
    private static final int[] ROOTS = {1, 20, 200};
    private static final int ACTORS = 1_000;
    private static final int FILMS = 1_000;

    /**
     * The generated fetch read with each strategy named, the automatic choice's alternatives: per-level in one
     * message, per-level one statement (and round trip) per level, join and MULTISET.
     */
    private static final Map<String, Strategy> FIXED = fixed();

    private GraphFetchBench() {
    }

    private static Map<String, Strategy> fixed() {
        Map<String, Strategy> fixed = new LinkedHashMap<>();
        fixed.put("generated:per-level", Strategy.perLevel());
        fixed.put("generated:per-level-each", Strategy.perLevel(100_000));
        fixed.put("generated:join", Strategy.join());
        fixed.put("generated:multiset", Strategy.multiset());
        return fixed;
    }

    /** One measured point; {@code variant} is {@code narrow} (whole rows) or {@code wide} (chosen columns). */
    record Point(String variant, int roots, int rttMs, String strategy, double medianMs, int statements,
            int roundTrips) {
    }

    /** A shape of one variant: reads the graph of {@code roots} actors. */
    @FunctionalInterface
    interface Shape {
        List<?> read(DSLContext ctx, int roots);
    }

    /**
     * One schema variant: its shapes (the first is the reference the others must equal, {@code generated} last) and
     * how its results become comparable values.
     */
    record Variant(String name, Map<String, Shape> shapes, Function<List<?>, List<Object>> comparable) {
    }

    /** Selects and round trips of the shape last run, counted by a jOOQ listener. */
    static final class Counts {
        final AtomicInteger statements = new AtomicInteger();
        final AtomicInteger roundTrips = new AtomicInteger();

        void reset() {
            statements.set(0);
            roundTrips.set(0);
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        // "generated": only the generated fetch, per strategy and automatic, to compare the choice with its
        // alternatives over more rounds than the hand-written N+1 would allow.
        boolean generatedOnly = args.length > 1 && args[1].equals("generated");
        Path out = Path.of(System.getProperty("bench.out", generatedOnly ? "target/bench/graph-fetch-generated.json"
                : "target/bench/graph-fetch.json"));
        Map<String, Shape> narrow = new LinkedHashMap<>();
        narrow.put("n+1", FilmCatalogue::nPlusOne);
        narrow.put("per-level", FilmCatalogue::perLevel);
        narrow.put("join", FilmCatalogue::join);
        narrow.put("multiset", FilmCatalogue::multisetQuery);
        for (var fixed : FIXED.entrySet()) {
            narrow.put(fixed.getKey(), (ctx, n) -> FilmCatalogue.flatten(FilmCatalogue.generated(ctx, n,
                    fixed.getValue())));
        }
        narrow.put("generated", (ctx, n) -> FilmCatalogue.flatten(FilmCatalogue.generated(ctx, n)));
        // The wide variant: hand-written shapes that choose the page's columns, and the generated fetch with the
        // same projection. N+1 is left out: it answers nothing the narrow variant does not.
        Map<String, Shape> wide = new LinkedHashMap<>();
        wide.put("per-level", WideFilmCatalogue::perLevel);
        wide.put("join", WideFilmCatalogue::join);
        wide.put("multiset", WideFilmCatalogue::multisetQuery);
        for (var fixed : FIXED.entrySet()) {
            wide.put(fixed.getKey(), (ctx, n) -> WideFilmCatalogue.generated(ctx, n, fixed.getValue()));
        }
        wide.put("generated", WideFilmCatalogue::generated);
        if (generatedOnly) {
            narrow.keySet().removeIf(k -> !k.startsWith("generated"));
            wide.keySet().removeIf(k -> !k.startsWith("generated"));
        }
        List<Variant> variants = List.of(
                new Variant("narrow", narrow, r -> comparable(cast(r))),
                new Variant("wide", wide, r -> comparableWide(cast(r))));
        List<Point> points = new ArrayList<>();
        try (EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(0).start()) {
            Flyway.configure().dataSource(cluster.primary().jdbcUrl(), cluster.user(), cluster.password())
                    .locations("classpath:db/filmcatalogue").load().migrate();
            try (Connection c = connect(cluster, cluster.primary().jdbcUrl())) {
                FilmCatalogueData.populate(DSL.using(c, SQLDialect.POSTGRES), ACTORS, FILMS, 0.42);
            }
            System.out.printf("film catalogue: %d actors with 20-30 films each, %d films with 0-3 categories;"
                    + " %d rounds per point, medians in ms%n", ACTORS, FILMS, rounds);
            for (Variant v : variants) {
                warmUp(cluster, v.shapes());
            }
            for (int rtt : new int[] {0, 1}) {
                String url = cluster.primary().jdbcUrl();
                if (rtt > 0) {
                    cluster.primary().proxy().latency(Duration.ofNanos(rtt * 500_000L));
                    url = cluster.primary().proxiedJdbcUrl();
                }
                try (Connection c = connect(cluster, url)) {
                    Counts counts = new Counts();
                    DSLContext ctx = counting(c, counts);
                    // What Junction's Database hands the automatic strategy from its monitor: this link's round trip.
                    long roundTrip = roundTripNanos(c);
                    NetworkHints.roundTripNanos(ctx.configuration(), roundTrip);
                    System.out.printf(Locale.ROOT, "rtt_ms %d: measured round trip %.3f ms%n", rtt, roundTrip / 1e6);
                    for (Variant v : variants) {
                        for (int roots : ROOTS) {
                            points.addAll(measure(ctx, counts, v, roots, rtt, rounds));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark connection failed: " + e.getMessage(), e);
        }
        write(out, points);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static List<Point> measure(DSLContext ctx, Counts counted, Variant variant, int roots, int rtt,
            int rounds) {
        Map<String, Shape> shapes = variant.shapes();
        List<Object> expected = null;
        String reference = shapes.keySet().iterator().next();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            counted.reset();
            List<Object> graph = variant.comparable().apply(e.getValue().read(ctx, roots));
            counts.put(e.getKey(), new int[] {counted.statements.get(), counted.roundTrips.get()});
            if (expected == null) {
                expected = graph;
            } else if (!expected.equals(graph)) {
                throw new IllegalStateException(variant.name() + ": " + e.getKey() + " returned another graph than "
                        + reference + " at " + roots + " roots; the benchmark would compare different work");
            }
        }
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        shapes.keySet().forEach(k -> nanos.put(k, new ArrayList<>()));
        int warmup = 3;
        // Each round runs the shapes in another order (seeded, so every run alike): a shape that always followed
        // MULTISET's garbage, or always ran first after a pause, would otherwise pay for its place in the round.
        List<Map.Entry<String, Shape>> order = new ArrayList<>(shapes.entrySet());
        Random shuffle = new Random(roots * 31L + rtt);
        for (int r = 0; r < warmup + rounds; r++) {
            Collections.shuffle(order, shuffle);
            for (var e : order) {
                if (e.getKey().equals("n+1") && r >= warmup + nPlusOneRounds(roots, rtt, rounds)) {
                    continue; // seconds per call at 200 roots: a few samples tell the story
                }
                if (e.getKey().equals("n+1") && r < warmup && roots * (rtt + 1) >= 200) {
                    continue;
                }
                long start = System.nanoTime();
                e.getValue().read(ctx, roots);
                long took = System.nanoTime() - start;
                if (r >= warmup) {
                    nanos.get(e.getKey()).add(took);
                }
            }
        }
        List<Point> points = new ArrayList<>();
        double fastest = Double.MAX_VALUE;
        String fastestName = "";
        double bestGenerated = Double.MAX_VALUE;
        String bestGeneratedName = "";
        for (var e : nanos.entrySet()) {
            double median = Latencies.of(e.getValue()).medianNanos() / 1e6;
            int[] n = counts.get(e.getKey());
            points.add(new Point(variant.name(), roots, rtt, e.getKey(), median, n[0], n[1]));
            if (FIXED.containsKey(e.getKey())) {
                if (median < bestGenerated) {
                    bestGenerated = median;
                    bestGeneratedName = e.getKey();
                }
            } else if (!e.getKey().equals("generated") && median < fastest) {
                fastest = median;
                fastestName = e.getKey();
            }
        }
        System.out.printf("%n%s: %d roots, %d ms added per round trip%n", variant.name(), roots, rtt);
        System.out.printf("  %-24s %10s %11s %11s %10s%n", "strategy", "statements", "round trips", "median ms",
                "x fastest");
        double unit = fastestName.isEmpty() ? bestGenerated : fastest;
        for (Point p : points) {
            System.out.printf(Locale.ROOT, "  %-24s %10d %11d %11.2f %10.2f%n", p.strategy(), p.statements(),
                    p.roundTrips(), p.medianMs(), p.medianMs() / unit);
        }
        double generated = points.get(points.size() - 1).medianMs();
        if (!fastestName.isEmpty()) {
            System.out.printf(Locale.ROOT, "  generated (%s) / fastest hand-written (%s) = %.2fx %s%n",
                    graphStrategy(variant, roots), fastestName, generated / fastest, generated <= 1.1 * fastest
                            ? "(within 1.1x)" : "(OVER 1.1x)");
        }
        System.out.printf(Locale.ROOT, "  automatic (%s) / best generated strategy (%s) = %.2fx %s%n",
                graphStrategy(variant, roots), bestGeneratedName, generated / bestGenerated,
                generated <= 1.1 * bestGenerated ? "(within 1.1x)" : "(OVER 1.1x)");
        return points;
    }

    /**
     * Runs every shape but N+1 for two seconds at 20 roots before anything is measured, so that all of them are
     * compiled by the JIT: the generated path has more code to warm up than a hand-written query.
     */
    private static void warmUp(EmbeddedPostgresCluster cluster, Map<String, Shape> shapes) throws SQLException {
        try (Connection c = connect(cluster, cluster.primary().jdbcUrl())) {
            DSLContext ctx = counting(c, new Counts());
            for (var e : shapes.entrySet()) {
                if (e.getKey().equals("n+1")) {
                    continue;
                }
                long end = System.nanoTime() + 2_000_000_000L;
                for (int i = 0; System.nanoTime() < end; i++) {
                    e.getValue().read(ctx, ROOTS[i % ROOTS.length] == 200 ? 20 : ROOTS[i % ROOTS.length]);
                }
            }
        }
    }

    private static int nPlusOneRounds(int roots, int rtt, int rounds) {
        int work = roots * (rtt + 1);
        return work >= 200 ? 3 : work >= 20 ? Math.min(rounds, 7) : rounds;
    }

    private static String graphStrategy(Variant variant, int roots) {
        var query = variant.name().equals("wide") ? WideFilmCatalogue.actorsWithFilmTitles(roots).graphQuery()
                : FilmCatalogue.actorsWithFilms(roots).graphQuery();
        return Strategy.automatic().resolve(query).name();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<?> list) {
        return (List<T>) list;
    }

    /** The wide graph as nested lists of column values (the columns not chosen are null in every shape). */
    private static List<Object> comparableWide(List<WideFilmCatalogue.ActorFilms> actors) {
        List<Object> out = new ArrayList<>(actors.size());
        for (WideFilmCatalogue.ActorFilms a : actors) {
            List<Object> films = new ArrayList<>();
            for (WideFilmCatalogue.FilmCategories f : a.films()) {
                films.add(List.of(values(f.film()), f.categories().stream().map(GraphFetchBench::values).toList()));
            }
            out.add(List.of(values(a.actor()), films));
        }
        return out;
    }

    /** The graph as nested lists of column values, so that two shapes' results can be compared. */
    private static List<Object> comparable(List<FilmCatalogue.ActorFilms> actors) {
        List<Object> out = new ArrayList<>(actors.size());
        for (FilmCatalogue.ActorFilms a : actors) {
            List<Object> films = new ArrayList<>();
            for (FilmCatalogue.FilmCategories f : a.films()) {
                films.add(List.of(values(f.film()), f.categories().stream().map(GraphFetchBench::values).toList()));
            }
            out.add(List.of(values(a.actor()), films));
        }
        return out;
    }

    private static List<Object> values(Record r) {
        return Arrays.stream(r.intoArray()).map(v -> v == null ? "<null>" : v).toList();
    }

    /**
     * A context whose listener counts, per execution, one round trip and the selects in its text: the generated
     * per-level fetch sends all of its selects (with the snapshot's SET TRANSACTION and COMMIT) as one message.
     */
    private static DSLContext counting(Connection c, Counts counts) {
        ExecuteListener counter = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                counts.roundTrips.incrementAndGet();
                counts.statements.addAndGet(Math.max(1, selects(ctx.sql())));
            }
        };
        return DSL.using(new DefaultConfiguration().set(c).set(SQLDialect.POSTGRES)
                .set(new Settings().withExecuteLogging(false))
                .set(new DefaultExecuteListenerProvider(counter)));
    }

    /** The median of 31 round trips of {@code select 1} on {@code c}, in nanoseconds, as a health check measures it. */
    static long roundTripNanos(Connection c) throws SQLException {
        long[] samples = new long[31];
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < samples.length + 10; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery("select 1")) {
                    rs.next();
                }
                if (i >= 10) {
                    samples[i - 10] = System.nanoTime() - start;
                }
            }
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    /** The statements of {@code sql} that start with {@code select} (the text has no {@code ;} in literals). */
    static int selects(String sql) {
        int n = 0;
        for (int start = 0; sql != null && start < sql.length(); ) {
            int i = start;
            while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
                i++;
            }
            n += sql.regionMatches(true, i, "select", 0, 6) ? 1 : 0;
            int end = sql.indexOf(';', i);
            start = end < 0 ? sql.length() : end + 1;
        }
        return n;
    }

    private static Connection connect(EmbeddedPostgresCluster cluster, String url) throws SQLException {
        return DriverManager.getConnection(url, cluster.user(), cluster.password());
    }

    private static void write(Path out, List<Point> points) {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            json.append(String.format(Locale.ROOT, "  {\"variant\": \"%s\", \"roots\": %d, \"rtt_ms\": %d,"
                    + " \"strategy\": \"%s\", \"median_ms\": %.3f, \"statements\": %d, \"round_trips\": %d}%s%n",
                    p.variant(), p.roots(), p.rttMs(),
                    p.strategy(), p.medianMs(), p.statements(), p.roundTrips(), i + 1 < points.size() ? "," : ""));
        }
        json.append("]\n");
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + out + ": " + e.getMessage(), e);
        }
    }
}
