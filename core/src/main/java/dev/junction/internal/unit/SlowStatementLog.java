package dev.junction.internal.unit;

import dev.junction.UnitReport;
import dev.junction.spi.NodeRef;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jooq.ExecuteContext;
import org.jooq.Query;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs statements that ran at least as long as a threshold, at WARN on the logger {@value #LOGGER}: duration, node
 * and role, rows, the unit kind and the statement's SQL shape (placeholders, literals replaced by {@code ?}). Bind
 * values are counted but not shown unless {@code bindValues} was switched on. Immutable and thread-safe; the check on
 * the hot path is one comparison.
 */
public final class SlowStatementLog {
    /** The logger's name, for logging configuration. */
    public static final String LOGGER = "dev.junction.slow";
    /** The default threshold. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(1);
    /** Bind values longer than this many characters are cut when shown. */
    static final int MAX_VALUE_LENGTH = 64;

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final Duration threshold;
    private final long thresholdNanos;
    private final boolean bindValues;

    /**
     * @param threshold  statements taking at least this long are logged; {@link Duration#ZERO} switches the log off.
     *                   Not negative: {@code Junction.Builder.slowStatementThreshold} checks it, the one place
     * @param bindValues whether to print bind values (off by default: they may hold personal data or secrets)
     */
    public SlowStatementLog(Duration threshold, boolean bindValues) {
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.thresholdNanos = threshold.isZero() ? Long.MAX_VALUE : saturatedNanos(threshold);
        this.bindValues = bindValues;
    }

    public Duration threshold() {
        return threshold;
    }

    public boolean bindValues() {
        return bindValues;
    }

    boolean isSlow(long nanos) {
        return nanos >= thresholdNanos;
    }

    /** Logs the execution when it took at least the threshold. */
    void statementEnded(ExecuteContext ctx, UnitReport.Kind kind, NodeRef node, String shape, long nanos, long rows,
                        boolean failed) {
        if (nanos < thresholdNanos || !log.isWarnEnabled()) {
            return;
        }
        log.warn(line(kind, node, shape, nanos, rows, failed, binds(ctx)));
    }

    String line(UnitReport.Kind kind, NodeRef node, String shape, long nanos, long rows, boolean failed,
                String binds) {
        StringBuilder sb = new StringBuilder(shape.length() + 160).append("slow statement");
        if (failed) {
            sb.append(" (failed)");
        }
        sb.append(": ").append(String.format(Locale.ROOT, "%.1f", nanos / 1e6)).append(" ms on node '")
                .append(node.name()).append("' (").append(node.role().tag()).append("), ")
                .append(rows < 0 ? "rows unknown" : rows + (rows == 1 ? " row" : " rows")).append(", ")
                .append(kind.name().toLowerCase(Locale.ROOT)).append(" unit, threshold ")
                .append(threshold.toMillis()).append(" ms: ").append(shape);
        if (!binds.isEmpty()) {
            sb.append(' ').append(binds);
        }
        return sb.toString();
    }

    /** The bind-value part of the line: a count when redacted, the values when switched on, or nothing. */
    private String binds(ExecuteContext ctx) {
        Query[] batch = ctx.batchQueries();
        if (batch != null && batch.length > 1) {
            return bindValues ? "[bind values of batches are not shown]" : "";
        }
        Query query = ctx.query();
        if (query == null) {
            return "";
        }
        List<Object> values;
        try {
            values = query.getBindValues();
        } catch (RuntimeException e) {
            return "";
        }
        if (values.isEmpty()) {
            return "";
        }
        if (!bindValues) {
            return "[" + values.size() + (values.size() == 1 ? " bind value" : " bind values")
                    + " redacted; Junction.builder().slowStatementBindValues(true) shows them]";
        }
        StringBuilder sb = new StringBuilder("[bind values: ");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(render(values.get(i)));
        }
        return sb.append(']').toString();
    }

    static String render(@Nullable Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        String text = value.toString();
        if (text.length() > MAX_VALUE_LENGTH) {
            text = text.substring(0, MAX_VALUE_LENGTH) + "...";
        }
        return value instanceof CharSequence ? "'" + text + "'" : text;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return threshold.isZero() ? "SlowStatementLog[off]"
                : "SlowStatementLog[threshold=" + threshold + ", bindValues=" + bindValues + "]";
    }
}
