package dev.junction.samples.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders finished spans as an SVG timeline: one row per span in tree order (children under their parent, indented,
 * by start time), a bar from its start to its end on a common time axis, its name, duration and a few of its key
 * values. Pure: spans in, SVG text out.
 */
final class TraceTimeline {
    /** One finished span. */
    record Bar(String id, String parentId, String name, Instant start, Instant end, Map<String, String> tags) {
    }

    /** Key values shown after a span's name, when present. */
    private static final List<String> SHOWN = List.of("junction.node", "junction.route.reason",
            "db.response.returned_rows", "junction.statements", "junction.round_trips", "junction.pool.wait_ms");
    private static final int ROW = 22;
    private static final int LABEL = 560;
    private static final int CHART = 520;
    private static final int INDENT = 14;

    private TraceTimeline() {
    }

    static String svg(String title, List<Bar> spans) {
        List<Bar> ordered = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        Map<String, List<Bar>> children = new TreeMap<>();
        List<Bar> roots = new ArrayList<>();
        for (Bar b : spans) {
            boolean hasParent = spans.stream().anyMatch(p -> p.id().equals(b.parentId()));
            if (hasParent) {
                children.computeIfAbsent(b.parentId(), k -> new ArrayList<>()).add(b);
            } else {
                roots.add(b);
            }
        }
        roots.sort(Comparator.comparing(Bar::start));
        for (Bar root : roots) {
            walk(root, 0, children, ordered, depths);
        }
        Instant t0 = ordered.stream().map(Bar::start).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Instant t1 = ordered.stream().map(Bar::end).max(Comparator.naturalOrder()).orElse(t0.plusMillis(1));
        double total = Math.max(1, Duration.between(t0, t1).toNanos());
        int height = 50 + ordered.size() * ROW + 30;
        int width = LABEL + CHART + 20;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"monospace\" font-size=\"12\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int tick = 0; tick <= 4; tick++) {
            double x = LABEL + CHART * tick / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"32\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>%n",
                    x, x, height - 20));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#666666\">%.2f ms</text>%n", x - 20,
                    height - 6, total * tick / 4 / 1e6));
        }
        for (int i = 0; i < ordered.size(); i++) {
            Bar b = ordered.get(i);
            int y = 40 + i * ROW;
            double x = LABEL + CHART * Duration.between(t0, b.start()).toNanos() / total;
            double w = Math.max(1.5, CHART * Duration.between(b.start(), b.end()).toNanos() / total);
            StringBuilder label = new StringBuilder(b.name());
            for (String key : SHOWN) {
                String v = b.tags().get(key);
                if (v != null) {
                    label.append(' ').append(key.substring(key.lastIndexOf('.') + 1)).append('=').append(v);
                }
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", 10 + depths.get(i) * INDENT,
                    y + 14, escape(label.toString())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>%n",
                    x, y + 3, w, colour(b)));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333333\">%.2f ms</text>%n",
                    Math.min(x + w + 4, LABEL + CHART - 60), y + 14,
                    Duration.between(b.start(), b.end()).toNanos() / 1e6));
        }
        return s.append("</svg>\n").toString();
    }

    private static void walk(Bar b, int depth, Map<String, List<Bar>> children, List<Bar> out, List<Integer> depths) {
        out.add(b);
        depths.add(depth);
        List<Bar> kids = new ArrayList<>(children.getOrDefault(b.id(), List.of()));
        kids.sort(Comparator.comparing(Bar::start));
        for (Bar k : kids) {
            walk(k, depth + 1, children, out, depths);
        }
    }

    private static String colour(Bar b) {
        if (b.tags().containsKey("db.system.name")) {
            return "#4c9be8";
        }
        if (b.tags().containsKey("junction.route.reason")) {
            return "#f0a030";
        }
        if (b.tags().containsKey("junction.unit.kind")) {
            return "#3cb371";
        }
        return "#999999";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
