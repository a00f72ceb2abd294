package dev.junction.samples.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The load benchmark's report: {@code report.json} (one entry per implementation and user count), {@code report.md}
 * (the tables, overall and by request of the mix, and the p95 ratios to Junction) and {@code report.svg} (p95
 * latency and throughput by user count). Percentiles come from the runs' HdrHistograms; the report only formats.
 */
public final class Report {
    /** The implementations in the order of the tables and charts: the two rivals, then Junction. */
    static final List<String> IMPLS = List.of("naive", "tuned", "junction");
    private static final List<String> COLORS = List.of("#c0392b", "#7d8c2e", "#2471a3");
    private static final List<String> LEGENDS = List.of("naive (1 pool of 10, primary only)",
            "tuned (HikariCP, replicas, no Junction)", "junction (primary + 2 replicas)");

    private final List<LoadResult> results;
    private final String machine;

    public Report(List<LoadResult> results, String machine) {
        this.results = List.copyOf(results);
        this.machine = machine;
    }

    /** Writes the three files into {@code directory}, creating it. */
    public void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("report.json"), json());
        Files.writeString(directory.resolve("report.md"), markdown());
        Files.writeString(directory.resolve("report.svg"), svg());
    }

    /** One JSON object per result, in run order, with the keys of issue 8 first. */
    public String json() {
        StringBuilder s = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            LoadResult r = results.get(i);
            s.append("  {\"impl\": \"").append(r.impl()).append("\", \"users\": ").append(r.users())
                    .append(", \"requests\": ").append(r.requests()).append(", \"errors\": ").append(r.errors())
                    .append(", \"throughput_rps\": ").append(num(r.throughputRps()))
                    .append(", \"p50_ms\": ").append(num(r.p50Ms()))
                    .append(", \"p95_ms\": ").append(num(r.p95Ms()))
                    .append(", \"p99_ms\": ").append(num(r.p99Ms()))
                    .append(", \"round_trips_per_request\": ").append(num(r.roundTripsPerRequest()))
                    .append(", \"error_rate\": ").append(num(r.errorRate()))
                    .append(", \"errors_by_kind\": {");
            int k = 0;
            for (Map.Entry<String, Long> e : r.errorsByKind().entrySet()) {
                s.append(k++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            }
            s.append("}, \"pool_wait_ms_per_request\": ").append(num(r.poolWaitMsPerRequest()))
                    .append(", \"max_waiting_for_connection\": ").append(r.maxWaiting())
                    .append(", \"sheds\": ").append(r.sheds())
                    .append(", \"spills\": ").append(r.spills())
                    .append(", \"connection_hold_ms_per_request\": ").append(num(r.connectionHoldMsPerRequest()))
                    .append(", \"cpu_ms_per_request\": ").append(num(r.cpuMsPerRequest()))
                    .append(", \"db_cpu_ms_per_request\": ").append(num(r.dbCpuMsPerRequest()))
                    .append(", \"window_s\": ").append(num(r.windowSeconds()))
                    .append(", \"think_ms\": ").append(num(r.thinkMs()))
                    .append(", \"db_round_trip_latency_ms\": ").append(num(r.roundTripLatencyMs()))
                    .append(", \"by_endpoint\": {");
            int e = 0;
            for (Map.Entry<String, LoadResult.Endpoint> p : r.endpoints().entrySet()) {
                LoadResult.Endpoint v = p.getValue();
                s.append(e++ == 0 ? "" : ", ").append('"').append(p.getKey()).append("\": {\"requests\": ")
                        .append(v.requests()).append(", \"errors\": ").append(v.errors())
                        .append(", \"p50_ms\": ").append(num(v.p50Ms()))
                        .append(", \"p95_ms\": ").append(num(v.p95Ms()))
                        .append(", \"p99_ms\": ").append(num(v.p99Ms())).append('}');
            }
            s.append("}}").append(i < results.size() - 1 ? ",\n" : "\n");
        }
        return s.append("]\n").toString();
    }

    /** The table, the p95 and throughput ratios per user count, and the machine. */
    public String markdown() {
        StringBuilder s = new StringBuilder("# Sample service under load: naive, tuned and Junction\n\n");
        s.append(machine).append("\n\n");
        s.append(table()).append('\n');
        s.append(endpointTable()).append('\n');
        for (String line : ratios()) {
            s.append("- ").append(line).append('\n');
        }
        return s.toString();
    }

    /** The Markdown table alone, one row per result ordered by users then implementation. */
    public String table() {
        StringBuilder s = new StringBuilder();
        s.append("| impl | users | requests | errors | error % | throughput req/s | p50 ms | p95 ms | p99 ms"
                + " | round trips/req | pool wait ms/req | conn. hold ms/req | sheds | spills | CPU ms/req |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadResult r : sorted()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f"
                            + " | %.1f | %d | %d | %.1f |%n", r.impl(), r.users(), r.requests(), r.errors(),
                    100 * r.errorRate(), r.throughputRps(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.roundTripsPerRequest(),
                    r.poolWaitMsPerRequest(), r.connectionHoldMsPerRequest(), r.sheds(), r.spills(),
                    r.cpuMsPerRequest()));
        }
        return s.toString();
    }

    /** p50 / p95 / p99 by request of the mix, one row per run. */
    public String endpointTable() {
        StringBuilder s = new StringBuilder("p50 / p95 / p99 ms by request of the mix:\n\n| impl | users |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (String e : ClosedLoop.ENDPOINTS) {
            s.append(' ').append(e).append(" |");
            rule.append("---:|");
        }
        s.append('\n').append(rule).append('\n');
        for (LoadResult r : sorted()) {
            s.append("| ").append(r.impl()).append(" | ").append(r.users()).append(" |");
            for (String e : ClosedLoop.ENDPOINTS) {
                LoadResult.Endpoint v = r.endpoints().get(e);
                s.append(v == null ? " - |" : String.format(Locale.ROOT, " %.1f / %.1f / %.1f |", v.p50Ms(),
                        v.p95Ms(), v.p99Ms()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /**
     * Per user count, the p95 ratios of each other implementation to Junction ("at 200 users: p95 naive / junction =
     * 4.1x, tuned / junction = 1.2x"), Junction's throughput against each, and every run's errors and stale
     * read-backs.
     */
    public List<String> ratios() {
        List<String> lines = new ArrayList<>();
        for (int users : new TreeSet<>(results.stream().map(LoadResult::users).toList())) {
            Optional<LoadResult> junction = find("junction", users);
            if (junction.isEmpty()) {
                continue;
            }
            List<LoadResult> rivals = new ArrayList<>();
            for (String impl : IMPLS) {
                if (!impl.equals("junction")) {
                    find(impl, users).ifPresent(rivals::add);
                }
            }
            if (rivals.isEmpty()) {
                continue;
            }
            LoadResult j = junction.get();
            StringBuilder p95 = new StringBuilder();
            StringBuilder rps = new StringBuilder();
            StringBuilder errors = new StringBuilder();
            for (LoadResult r : rivals) {
                p95.append(p95.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s / junction = %.1fx",
                        r.impl(), r.p95Ms() / Math.max(0.001, j.p95Ms())));
                rps.append(rps.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "junction / %s = %.2fx",
                        r.impl(), j.throughputRps() / Math.max(0.001, r.throughputRps())));
            }
            for (LoadResult r : sortedAt(users)) {
                errors.append(errors.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT,
                        "%s %.2f%% (%d stale)", r.impl(), 100 * r.errorRate(), r.errorsByKind().getOrDefault("stale",
                                0L)));
            }
            lines.add(String.format(Locale.ROOT, "at %d users: p95 %s; throughput %s; errors %s", users, p95, rps,
                    errors));
        }
        return lines;
    }

    private Optional<LoadResult> find(String impl, int users) {
        return results.stream().filter(r -> r.impl().equals(impl) && r.users() == users).findFirst();
    }

    /** By users, then in the order of {@link #IMPLS}. */
    private List<LoadResult> sorted() {
        List<LoadResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(LoadResult::users).thenComparingInt(r -> rank(r.impl())));
        return sorted;
    }

    private List<LoadResult> sortedAt(int users) {
        return sorted().stream().filter(r -> r.users() == users).toList();
    }

    private static int rank(String impl) {
        int i = IMPLS.indexOf(impl);
        return i < 0 ? IMPLS.size() : i;
    }

    /** Two bar charts side by side: p95 latency (log scale, error rate on top) and throughput, by user count. */
    public String svg() {
        List<Integer> levels = new ArrayList<>(new TreeSet<>(results.stream().map(LoadResult::users).toList()));
        int width = 920;
        int height = 380;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width,
                height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"460\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">Sample service"
                + " under load: naive, tuned and Junction (closed loop)</text>\n");
        double maxP95 = results.stream().mapToDouble(LoadResult::p95Ms).max().orElse(1);
        double maxRps = results.stream().mapToDouble(LoadResult::throughputRps).max().orElse(1);
        panel(s, 60, "p95 latency, ms (log scale); error rate above", levels, true, Math.max(10, maxP95));
        panel(s, 510, "throughput, successful requests/s", levels, false, Math.max(1, maxRps));
        for (int k = 0; k < IMPLS.size(); k++) {
            int x = 60 + 290 * k;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"352\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"363\">%s</text>%n", x, COLORS.get(k), x + 18, LEGENDS.get(k)));
        }
        return s.append("</svg>\n").toString();
    }

    private void panel(StringBuilder s, int left, String title, List<Integer> levels, boolean latency, double max) {
        int top = 50;
        int plotWidth = 380;
        int plotHeight = 250;
        int bottom = top + plotHeight;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                left + plotWidth / 2, top - 10, title));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                left, bottom, left + plotWidth, bottom));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                left, top, left, bottom));
        // Axis ticks: powers of ten for latency, quarters for throughput.
        List<Double> ticks = new ArrayList<>();
        if (latency) {
            for (double t = 1; t <= max * 1.0001; t *= 10) {
                ticks.add(t);
            }
        } else {
            for (int i = 0; i <= 4; i++) {
                ticks.add(max * i / 4);
            }
        }
        for (double t : ticks) {
            double y = bottom - scale(t, max, latency) * plotHeight;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, y, left + plotWidth, y,
                    left - 4, y + 4, String.format(Locale.ROOT, "%.0f", t)));
        }
        if (levels.isEmpty()) {
            return;
        }
        double group = (double) plotWidth / levels.size();
        double bar = Math.min(30, group / (IMPLS.size() + 1));
        for (int i = 0; i < levels.size(); i++) {
            int users = levels.get(i);
            double center = left + group * (i + 0.5);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d users</text>%n",
                    center, bottom + 16, users));
            for (int k = 0; k < IMPLS.size(); k++) {
                Optional<LoadResult> r = find(IMPLS.get(k), users);
                if (r.isEmpty()) {
                    continue;
                }
                double value = latency ? r.get().p95Ms() : r.get().throughputRps();
                double h = Math.max(1, scale(value, max, latency) * plotHeight);
                double x = center - IMPLS.size() * (bar + 4) / 2 + k * (bar + 4);
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                        + " fill=\"%s\"><title>%s at %d users: %.1f</title></rect>%n", x, bottom - h, bar, h,
                        COLORS.get(k), IMPLS.get(k), users, value));
                String label = latency ? String.format(Locale.ROOT, "%.0f", value)
                        + (r.get().errors() > 0 ? String.format(Locale.ROOT, " (%.1f%% err)",
                        100 * r.get().errorRate()) : "") : String.format(Locale.ROOT, "%.0f", value);
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\""
                        + " font-size=\"10\"%s>%s</text>%n", x + bar / 2, bottom - h - 4,
                        latency && r.get().errors() > 0 ? " fill=\"#c0392b\"" : "", label));
            }
        }
    }

    /** 0..1 of the plot height: linear, or log10 from 1 ms. */
    private static double scale(double value, double max, boolean log) {
        if (log) {
            double top = Math.log10(Math.max(10, max) * 1.2);
            return Math.max(0, Math.log10(Math.max(1, value))) / top;
        }
        return value / (max * 1.1);
    }

    private static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
