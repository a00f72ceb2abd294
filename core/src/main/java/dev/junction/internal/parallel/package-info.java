/**
 * Parallel units: {@link dev.junction.internal.parallel.ParallelGroup} runs the works of one {@code db.parallel}
 * call, each on its own virtual thread and lease, and {@link dev.junction.internal.parallel.Cancellation} stops the
 * siblings of a work that failed. Not API: anything here may change in any release.
 */
@NullMarked
package dev.junction.internal.parallel;

import org.jspecify.annotations.NullMarked;
