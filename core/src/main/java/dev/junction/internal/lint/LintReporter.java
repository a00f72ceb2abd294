package dev.junction.internal.lint;

import dev.junction.LintMode;
import dev.junction.LintViolationException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports lint findings of one Database: STRICT throws {@link LintViolationException}; WARN logs the first finding
 * per lint and call site (the first stack frame outside Junction, jOOQ and the JDK) and counts every finding.
 * Thread-safe.
 */
public final class LintReporter {
    private static final Logger log = LoggerFactory.getLogger("dev.junction.lint");
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Set<String> warnedSites = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Records a finding in {@code unitFindings} and the counts; throws in STRICT. */
    public void report(String lint, LintMode mode, String message, java.util.List<String> unitFindings) {
        if (mode == LintMode.OFF) {
            return;
        }
        counts.computeIfAbsent(lint, k -> new LongAdder()).increment();
        unitFindings.add(lint);
        if (mode == LintMode.STRICT) {
            throw new LintViolationException(lint, "lint " + lint + ": " + message + " (set the lint to WARN or OFF"
                    + " to allow it)", null);
        }
        String site = callSite();
        if (warnedSites.add(lint + "@" + site)) {
            log.warn("lint {} at {}: {} (logged once per call site)", lint, site, message);
        }
    }

    /** Findings so far by lint name, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static String callSite() {
        return WALKER.walk(frames -> frames.filter(f -> !internal(f.getClassName())).findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).orElse("unknown"));
    }

    private static boolean internal(String className) {
        return className.startsWith("dev.junction.internal.") || className.startsWith("dev.junction.routing.internal.")
                || className.startsWith("dev.junction.lookup.internal.") || className.startsWith("org.jooq.")
                || className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("com.zaxxer.") || className.startsWith("org.postgresql.");
    }
}
