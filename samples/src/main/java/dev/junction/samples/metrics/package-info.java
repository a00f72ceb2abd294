/**
 * Junction's meters on a Prometheus scrape endpoint, and the router's topology on a health endpoint: see
 * {@link dev.junction.samples.metrics.PrometheusExample} and {@code docs/metrics.md}.
 */
@NullMarked
package dev.junction.samples.metrics;

import org.jspecify.annotations.NullMarked;
