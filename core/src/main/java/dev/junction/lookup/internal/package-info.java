/**
 * Implementation of the lookup cache: the Caffeine-backed {@link dev.junction.lookup.internal.LookupRuntime}, its
 * {@link dev.junction.lookup.internal.LoadedTable loaded tables}, name matching, the {@code LISTEN} connection, and
 * {@link dev.junction.lookup.internal.LookupHooks}, which connects the cache to the units of work (writes to lookup
 * tables, the {@code lookup-read-in-write} lint, the notification sent with a commit). Not API: anything here may
 * change in any release.
 */
@NullMarked
package dev.junction.lookup.internal;

import org.jspecify.annotations.NullMarked;
