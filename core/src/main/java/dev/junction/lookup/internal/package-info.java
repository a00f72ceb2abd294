/**
 * Implementation of the lookup cache: the Caffeine-backed {@link dev.junction.lookup.internal.LookupRuntime}, its
 * snapshots, name matching, and the {@code LISTEN} connection. Not API: anything here may change in any release.
 */
@NullMarked
package dev.junction.lookup.internal;

import org.jspecify.annotations.NullMarked;
