package dev.junction.internal.observation;

import dev.junction.Consistency;
import dev.junction.UnitReport;

/**
 * Opens the span of each unit of work. A Database has one when {@code Junction.Builder.observationRegistry} was
 * given and none otherwise, so an untraced unit pays one null check. Thread-safe.
 */
public interface UnitTracing {

    /** Starts the span of a unit of {@code kind}; the caller's current span, if any, is its parent. */
    UnitSpan unit(UnitReport.Kind kind, Consistency consistency);

    /** The tracing of the Micrometer {@code ObservationRegistry} {@code registry}; Micrometer is loaded here. */
    static UnitTracing observations(Object registry) {
        return new ObservationTracing(registry);
    }
}
