/**
 * Implementation of the units of work: the {@code Database} implementation, the per-unit jOOQ wiring (connection
 * provider, transaction provider, execute listener), statement classification and SQL shapes. Not API: anything here
 * may change in any release.
 */
@NullMarked
package dev.junction.internal;

import org.jspecify.annotations.NullMarked;
