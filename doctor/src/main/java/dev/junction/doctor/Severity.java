package dev.junction.doctor;

import java.util.Locale;

/** How bad a finding is; {@link #CRITICAL} makes the doctor exit non-zero. In increasing order. */
enum Severity {
    /** Worth knowing, nothing to fix. */
    INFO,
    /** Works today, hurts under load or growth: fix it soon. */
    WARNING,
    /** Broken or about to break: a node unreachable or in the wrong role, a connection budget exceeded. */
    CRITICAL;

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
