/**
 * Unit-of-work execution: the {@code Database} implementation ({@link dev.junction.internal.unit.DefaultDatabase})
 * and what runs one unit: a lease per connection with its jOOQ wiring (connection provider, savepoint transaction
 * provider, the {@code ScopeListener} that refuses writes in read scopes and accounts every statement), the read
 * retry, write transactions with their commit token, the unit's report and the slow-statement log. SQL text handling,
 * budgets, lints and parallel groups live in the sibling packages. Not API: anything here may change in any release.
 */
@NullMarked
package dev.junction.internal.unit;

import org.jspecify.annotations.NullMarked;
