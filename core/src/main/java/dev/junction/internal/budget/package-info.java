/**
 * The time budget of a write transaction: {@link dev.junction.internal.budget.TransactionBudget} sets the server's
 * timeouts, refuses statements and the commit after the deadline and cancels a statement running past it. Not API:
 * anything here may change in any release.
 */
@NullMarked
package dev.junction.internal.budget;

import org.jspecify.annotations.NullMarked;
