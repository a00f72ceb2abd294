package dev.junction.routing.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one YAML value into the Java value a builder takes (durations are {@link Durations}'). Each
 * parser only reads the form; whether the value is allowed is the builder's to check. Each throws
 * {@link IllegalArgumentException} quoting the value and naming the accepted forms. Stateless and thread-safe.
 */
final class YamlValues {
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");

    private YamlValues() {
    }

    static int parseInt(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }

    static boolean parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
        };
    }

    static double parseFraction(String v) {
        String t = v.trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                    : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a fraction; write e.g. 0.8 or 80%");
        }
    }

    static double parseFactor(String v) {
        String t = v.trim();
        try {
            return Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1).trim() : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a factor; write e.g. 5 or 5x");
        }
    }

    static float parsePercent(String v) {
        String t = v.trim();
        try {
            return Float.parseFloat(t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a percentage; write e.g. 50 or 50%");
        }
    }

    static long parseBytes(String v) {
        Matcher m = BYTES.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a size; write e.g. 1048576, 512kB, 16MB or 1GB");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        long most = Long.MAX_VALUE >> shift;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            n = -1; // more digits than a long holds
        }
        // Refused, not wrapped around: a shifted overflow would turn a huge limit into a negative or tiny one.
        if (n < 0 || n > most) {
            String written = switch (unit) {
                case "kb" -> "kB";
                case "b" -> "";
                default -> unit.toUpperCase(Locale.ROOT);
            };
            throw new IllegalArgumentException("'" + v + "' is not a size a 64-bit count of bytes holds; write at"
                    + " most " + most + written);
        }
        return n << shift;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
        String normal = v.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normal)) {
                return e;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        throw new IllegalArgumentException("'" + v + "' is not one of " + String.join(", ", allowed));
    }
}
