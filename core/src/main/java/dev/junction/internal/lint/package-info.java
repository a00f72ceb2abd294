/**
 * Transaction lints: {@link dev.junction.internal.lint.LintReporter} throws, logs and counts every finding of a
 * Database; {@link dev.junction.internal.lint.WriteLints} runs the lints of one write transaction. The N+1 lint is
 * counted per unit by the unit's recorder, the lookup-read-in-write lint by the lookup hooks. Not API: anything here
 * may change in any release.
 */
@NullMarked
package dev.junction.internal.lint;

import org.jspecify.annotations.NullMarked;
