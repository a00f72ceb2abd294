package dev.junction.samples.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of this package and prints the ratios they are for. {@code ./dev bench jmh [quick]
 * [regex]}: {@code quick} is a smoke run (1 fork, 2 warm-up and 3 measurement iterations of 1 s); the default is 2
 * forks of 3 warm-up and 5 measurement iterations of 2 s. JMH's JSON goes to {@code target/bench/jmh-*.json}, the
 * ratios to {@code target/bench/jmh.md}.
 *
 * <p>The routing overhead is a ratio of two small numbers (tens of microseconds) that drift on a shared machine by
 * more than the overhead itself. Its two benchmarks therefore run in {@value #PAIRED_ROUNDS} paired rounds, one fork
 * of each back to back, and the summary gives the median of the rounds' ratios as well as the ratio of the means,
 * followed by an {@link InterleavedOverhead interleaved cross-check} in one JVM.
 */
public final class JmhMain {
    /** Paired rounds of the routing-overhead benchmarks (1 in quick mode). */
    static final int PAIRED_ROUNDS = 5;

    private static final String ROUTING = RoutingOverheadBenchmark.class.getName();
    private static final String TRACING = TracingOverheadBenchmark.class.getName();

    private JmhMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        if (args.length == 1 && args[0].contains(" ")) {
            args = args[0].trim().split("\\s+"); // Maven passes the arguments as one
        }
        boolean quick = false;
        String include = JmhMain.class.getPackageName() + ".*Benchmark";
        for (String arg : args) {
            if (arg.equals("quick")) {
                quick = true;
            } else if (!arg.isBlank() && !arg.equals("all")) {
                include = arg;
            }
        }
        Path out = Path.of("target", "bench").toAbsolutePath();
        Files.createDirectories(out);
        boolean all = include.endsWith(".*Benchmark");
        boolean routing = all || ROUTING.matches(".*" + include + ".*");
        boolean others = all || !include.contains("RoutingOverhead");
        boolean tracing = all || TRACING.matches(".*" + include + ".*");

        List<RunResult> results = new ArrayList<>();
        if (others) {
            ChainedOptionsBuilder options = base(quick).include(include).forks(quick ? 1 : 2)
                    .result(out.resolve("jmh-result.json").toString());
            if (routing) {
                options.exclude(ROUTING);
            }
            results.addAll(new Runner(options.build()).run());
        }
        List<Map<String, Double>> rounds = new ArrayList<>();
        if (routing) {
            for (int round = 0; round < (quick ? 1 : PAIRED_ROUNDS); round++) {
                rounds.add(scores(new Runner(base(quick).include(ROUTING + ".*").forks(1)
                        .result(out.resolve("jmh-routing-round-" + round + ".json").toString()).build()).run()));
            }
        }
        String summary = summary(results, rounds);
        if (routing) {
            summary += InterleavedOverhead.run(quick ? 5_000 : 30_000, quick ? 4 : 20);
        }
        if (tracing) {
            summary += InterleavedTracing.run(quick ? 5_000 : 30_000, quick ? 4 : 20);
        }
        System.out.println();
        System.out.print(summary);
        Files.writeString(out.resolve("jmh.md"), summary);
        System.out.println("JMH results: " + out + "/jmh-*.json, ratios: " + out.resolve("jmh.md"));
    }

    private static ChainedOptionsBuilder base(boolean quick) {
        return new OptionsBuilder()
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xmx1g")
                .resultFormat(ResultFormatType.JSON);
    }

    private static String key(RunResult r) {
        String method = r.getParams().getBenchmark();
        method = method.substring(method.lastIndexOf('.') + 1);
        String latency = r.getParams().getParam("roundTripMicros");
        return latency == null ? method : method + "@" + latency;
    }

    private static Map<String, Double> scores(Collection<RunResult> results) {
        Map<String, Double> score = new HashMap<>();
        results.forEach(r -> score.put(key(r), r.getPrimaryResult().getScore()));
        return score;
    }

    /** The ratios, from the mean scores (microseconds per operation) and the routing overhead's paired rounds. */
    static String summary(Collection<RunResult> results, List<Map<String, Double>> rounds) {
        Map<String, Double> score = scores(results);
        Map<String, Double> error = new HashMap<>();
        results.forEach(r -> error.put(key(r), r.getPrimaryResult().getScoreError()));
        StringBuilder s = new StringBuilder("# JMH: ratios (mean us/op)\n\n");
        if (!rounds.isEmpty()) {
            List<Double> ratios = new ArrayList<>();
            double junction = 0;
            double plain = 0;
            for (Map<String, Double> round : rounds) {
                ratios.add(round.get("junctionRead") / round.get("plainHikariJooq"));
                junction += round.get("junctionRead") / rounds.size();
                plain += round.get("plainHikariJooq") / rounds.size();
            }
            List<Double> sorted = ratios.stream().sorted().toList();
            s.append(String.format(Locale.ROOT, "- routing overhead per read, junctionRead / plainHikariJooq on the"
                            + " same replica: median of %d paired rounds = %.3fx (rounds %s); ratio of the means %.3fx"
                            + " (%.1f vs %.1f us)%n", ratios.size(), sorted.get(sorted.size() / 2),
                    ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList(), junction / plain,
                    junction, plain));
            score.put("junctionRead", junction);
            score.put("plainHikariJooq", plain);
        }
        line(s, score, error, "tracing overhead, 1 thread: traced / untraced", "traced", "untraced");
        line(s, score, error, "tracing overhead, " + TracingOverheadBenchmark.CONTENDED + " threads on pools of 4:"
                + " tracedContended / untracedContended", "tracedContended", "untracedContended");
        line(s, score, error, "routing overhead in the tracing run: untraced / plainRead", "untraced", "plainRead");
        line(s, score, error, "token read, replica known to have the token: tokenReadCaughtUp / eventualRead",
                "tokenReadCaughtUp", "eventualRead");
        line(s, score, error, "strong read (primary): strongRead / eventualRead", "strongRead", "eventualRead");
        if (score.containsKey("writeThenTokenRead") && score.containsKey("write")
                && score.containsKey("eventualRead")) {
            double added = score.get("writeThenTokenRead") - score.get("write");
            s.append(String.format(Locale.ROOT, "- read after its own fresh token: %.1f us (write %.1f us, then"
                            + " write+read %.1f us), vs an eventual read %.1f us: %.2fx%n", added, score.get("write"),
                    score.get("writeThenTokenRead"), score.get("eventualRead"), added / score.get("eventualRead")));
        }
        for (String latency : new String[] {"0", "1000"}) {
            line(s, score, error, "N+1 / graph fetch, " + latency + " us per round trip", "nPlusOne@" + latency,
                    "graphFetch@" + latency);
            line(s, score, error, "list then relations / graph fetch, " + latency + " us per round trip",
                    "listThenRelations@" + latency, "graphFetch@" + latency);
        }
        s.append("\n| benchmark | us/op | +- |\n|---|---:|---:|\n");
        score.keySet().stream().sorted().forEach(k -> s.append(String.format(Locale.ROOT, "| %s | %.1f | %s |%n", k,
                score.get(k), error.containsKey(k) ? String.format(Locale.ROOT, "%.1f", error.get(k)) : "-")));
        return s.toString();
    }

    private static void line(StringBuilder s, Map<String, Double> score, Map<String, Double> error, String label,
                             String a, String b) {
        if (score.containsKey(a) && score.containsKey(b) && error.containsKey(a) && error.containsKey(b)) {
            s.append(String.format(Locale.ROOT, "- %s = %.3fx (%.1f +- %.1f us vs %.1f +- %.1f us)%n", label,
                    score.get(a) / score.get(b), score.get(a), error.get(a), score.get(b), error.get(b)));
        }
    }
}
