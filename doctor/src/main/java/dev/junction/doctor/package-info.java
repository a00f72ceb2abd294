/**
 * {@code doctor}: a command-line check of a deployment described by a {@code junction.yaml}. It connects to every
 * node and reports the topology and replica lag, the connection budget against {@code max_connections} with its
 * arithmetic, foreign keys without a supporting index, long-running and idle-in-transaction sessions, and the top
 * statements from {@code pg_stat_statements} when available. Entry point: {@link dev.junction.doctor.Doctor}; see
 * {@code docs/doctor.md}.
 */
@NullMarked
package dev.junction.doctor;

import org.jspecify.annotations.NullMarked;
