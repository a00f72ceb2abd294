/**
 * The sample HTTP service: a group directory (users, groups, memberships, code tables) with four endpoints, in three
 * implementations of the same {@link dev.junction.samples.service.Directory} interface: {@code naive} (one primary
 * pool, everything in transactions, list-then-relations), {@code tuned} (a skilled team without Junction: primary and
 * replica pools, joins, a code cache, read-your-writes by time) and {@code junction} (routing, lookups, short
 * transactions, graph fetches, parallel reads, consistency tokens).
 * {@link dev.junction.samples.service.DirectoryService} serves any of them over the JDK's HTTP server on virtual
 * threads. See {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.junction.samples.service;

import org.jspecify.annotations.NullMarked;
