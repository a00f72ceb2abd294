/**
 * Implementation of the routing module: pools, monitor, selection, resilience, YAML parsing. Not API: types here may
 * change without notice.
 */
@NullMarked
package dev.junction.routing.internal;

import org.jspecify.annotations.NullMarked;
