package dev.junction.internal.lint;

import dev.junction.Database;
import dev.junction.LintMode;
import dev.junction.LintViolationException;
import dev.junction.Prepared;
import java.util.List;
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
 * Junction's frames include every {@link Database} implementation's (a Database that wraps another, such as the
 * Spring starter's bean, only forwards the call; the call site is its caller) and {@link Prepared}'s.
 * Thread-safe.
 */
public final class LintReporter {
    private static final Logger log = LoggerFactory.getLogger("dev.junction.lint");
    // The class references tell a Database implementation from the user's code whatever its package.
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final Set<String> warnedSites = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Records a finding in {@code unitFindings} and the counts; throws in STRICT. */
    public void report(String lint, LintMode mode, String message, List<String> unitFindings) {
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
        return WALKER.walk(frames -> frames.filter(f -> !internal(f.getClassName()) && !forwarding(f)).findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).orElse("unknown"));
    }

    /**
     * A frame of Junction's API that passes a unit on rather than making it: a Database's methods (its default
     * methods, and decorators such as the Spring starter's, which may live in any package) and
     * {@code Prepared.thenWrite}.
     */
    private static boolean forwarding(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        return Database.class.isAssignableFrom(type) || type == Prepared.class;
    }

    private static boolean internal(String className) {
        return className.startsWith("dev.junction.internal.") || className.startsWith("dev.junction.routing.internal.")
                || className.startsWith("dev.junction.lookup.internal.") || className.startsWith("org.jooq.")
                || className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("com.zaxxer.") || className.startsWith("org.postgresql.");
    }
}
