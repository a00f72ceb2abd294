/**
 * Tracing of units of work and context propagation into the threads that run them. {@link
 * dev.junction.internal.observation.UnitTracing} and {@link dev.junction.internal.observation.UnitSpan} are what the
 * unit code calls, free of any Micrometer type; {@code ObservationTracing} is the only class that touches
 * {@code micrometer-observation} (loaded only when a registry is given) and {@code ContextSnapshots} the only one that
 * touches {@code context-propagation} (loaded only when that jar is present). Not API.
 */
@NullMarked
package dev.junction.internal.observation;

import org.jspecify.annotations.NullMarked;
