/**
 * Lookups: reference tables (roles, countries, status codes) declared once with {@link dev.junction.lookup.Lookups},
 * cached per {@link dev.junction.Database} and read with {@code db.lookups().get(ROLES)} instead of a query.
 * Loaded from replicas outside any transaction, one query per table however many callers ask at once, bounded in
 * size and age, and invalidated when a write in this process or, through PostgreSQL {@code LISTEN/NOTIFY}, in any
 * other app instance changes the table. See {@code docs/lookups.md}.
 */
@NullMarked
package dev.junction.lookup;

import org.jspecify.annotations.NullMarked;
