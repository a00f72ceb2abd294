package dev.junction.samples.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
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
 * forks of 3 warm-up and 5 measurement iterations of 2 s. JMH's JSON goes to {@code target/bench/jmh-result.json},
 * the ratios to {@code target/bench/jmh.md}.
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
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
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(quick ? 1 : 2)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xmx1g")
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-result.json").toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        String summary = summary(results);
        System.out.println();
        System.out.print(summary);
        Files.writeString(out.resolve("jmh.md"), summary);
        System.out.println("JMH results: " + out.resolve("jmh-result.json") + ", ratios: " + out.resolve("jmh.md"));
    }

    /** The ratios, from the mean scores (microseconds per operation). */
    static String summary(Collection<RunResult> results) {
        Map<String, Double> score = new HashMap<>();
        Map<String, Double> error = new HashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String latency = r.getParams().getParam("roundTripMicros");
            String key = latency == null ? method : method + "@" + latency;
            score.put(key, r.getPrimaryResult().getScore());
            error.put(key, r.getPrimaryResult().getScoreError());
        }
        StringBuilder s = new StringBuilder("# JMH: ratios (mean us/op)\n\n");
        line(s, score, error, "routing overhead per read: junctionRead / plainHikariJooq (same replica)",
                "junctionRead", "plainHikariJooq");
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
        score.keySet().stream().sorted().forEach(k -> s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", k,
                score.get(k), error.get(k))));
        return s.toString();
    }

    private static void line(StringBuilder s, Map<String, Double> score, Map<String, Double> error, String label,
                             String a, String b) {
        if (score.containsKey(a) && score.containsKey(b)) {
            s.append(String.format(Locale.ROOT, "- %s = %.3fx (%.1f +- %.1f us vs %.1f +- %.1f us)%n", label,
                    score.get(a) / score.get(b), score.get(a), error.get(a), score.get(b), error.get(b)));
        }
    }
}
