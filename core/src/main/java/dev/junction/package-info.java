/**
 * Junction's public API: {@link dev.junction.Database} units of work (read, write, parallel), consistency levels,
 * unit-of-work reports and the exception family rooted at {@link dev.junction.JunctionException}.
 */
@NullMarked
package dev.junction;

import org.jspecify.annotations.NullMarked;
