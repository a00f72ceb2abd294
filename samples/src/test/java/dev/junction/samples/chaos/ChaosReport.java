package dev.junction.samples.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the chaos figures: {@code report.json} (an array, one object per scenario that ran) and {@code report.md}
 * (the same as a table, the form {@code docs/reliability.md} quotes).
 */
final class ChaosReport {
    private ChaosReport() {
    }

    static void write(Path dir, List<ScenarioResult> results) throws IOException {
        Files.createDirectories(dir);
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            json.append("  ");
            appendJson(json, results.get(i).toJsonFields());
            json.append(i < results.size() - 1 ? ",\n" : "\n");
        }
        json.append("]\n");
        Files.writeString(dir.resolve("report.json"), json);
        Files.writeString(dir.resolve("report.md"), table(results));
    }

    static String table(List<ScenarioResult> results) {
        StringBuilder md = new StringBuilder("| scenario | attempted | failed (reads / writes) | acknowledged writes lost"
                + " | stale token reads | leaked connections | p99 ms | max ms | detect ms | recovery ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d (%d / %d) | %d of %d | %d of %d | %d | %.1f | %.1f"
                            + " | %d | %d |%n", r.scenario(), r.attempted(), r.failed(), r.failedReads(),
                    r.failedWrites(), r.acknowledgedWritesLost(), r.acknowledgedWrites(), r.staleReads(),
                    r.tokenReads(), r.leakedConnections(), r.p99Millis(), r.maxMillis(), r.detectMillis(),
                    r.recoveryMillis()));
        }
        return md.toString();
    }

    private static void appendJson(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                appendString(out, String.valueOf(e.getKey()));
                out.append(": ");
                appendJson(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                appendJson(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Double d) {
            out.append(String.format(Locale.ROOT, "%.1f", d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value == null) {
            out.append("null");
        } else {
            appendString(out, value.toString());
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
