package dev.junction.routing.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations the way the configuration file writes them: {@code 500ms}, {@code 5s}, {@code 2m}. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * Parses {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 1d}, ISO-8601 ({@code PT5S}) or a
     * bare number of milliseconds.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 86_400_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms, 5s, 2m, 1h or PT5S");
    }

    /** {@code 500ms}, {@code 5s}, {@code 90s}; millisecond precision. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }

    /** Whole seconds, rounded up, as pgjdbc's second-based timeouts need; 0 stays 0. */
    public static int ceilSeconds(Duration d) {
        long ms = d.toMillis();
        return (int) Math.min(Integer.MAX_VALUE, (ms + 999) / 1000);
    }
}
