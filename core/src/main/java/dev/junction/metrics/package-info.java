/**
 * Micrometer meters for Junction: {@link dev.junction.metrics.UnitMetrics} records every unit of work's report;
 * {@link dev.junction.metrics.MeterNames} holds every meter and tag name Junction uses (the routing module's too).
 * Needs {@code io.micrometer:micrometer-core} on the class path, an optional dependency of Junction. See
 * {@code docs/metrics.md}.
 */
@NullMarked
package dev.junction.metrics;

import org.jspecify.annotations.NullMarked;
