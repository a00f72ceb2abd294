package dev.junction.routing.internal;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration values with environment variables.
 * <code>$${</code> writes a literal <code>${</code>. Thread-safe.
 */
public final class EnvSubstitution {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;

    public EnvSubstitution(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * @throws IllegalArgumentException naming the variable when it is unset and has no default, or when a reference
     *                                  is malformed
     */
    public String apply(String value) {
        if (!value.contains("${")) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String before = value.substring(last, m.start());
            checkNoStrayReference(before, value);
            out.append(before);
            if (m.group().equals("$${")) {
                out.append("${");
            } else {
                String name = m.group(1);
                String resolved = env.get(name);
                if (resolved == null) {
                    resolved = m.group(2);
                }
                if (resolved == null) {
                    throw new IllegalArgumentException("environment variable " + name + " is not set; set it, or"
                            + " give a default with ${" + name + ":-default}");
                }
                out.append(resolved);
            }
            last = m.end();
        }
        String tail = value.substring(last);
        checkNoStrayReference(tail, value);
        return out.append(tail).toString();
    }

    private static void checkNoStrayReference(String part, String whole) {
        if (part.contains("${")) {
            throw new IllegalArgumentException("malformed reference in '" + whole + "'; write ${NAME} or"
                    + " ${NAME:-default} (NAME: letters, digits, underscore), or $${ for a literal ${");
        }
    }
}
