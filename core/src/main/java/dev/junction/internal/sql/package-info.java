/**
 * SQL text handling: {@link dev.junction.internal.sql.StatementClassifier} (does a statement read, write or lock?),
 * {@link dev.junction.internal.sql.SqlShapes} (SQL without values, safe for messages and logs),
 * {@link dev.junction.internal.sql.SqlTableNames} (which tables a statement names),
 * {@link dev.junction.internal.sql.SqlTexts} (both computed once per distinct text), all on the allocation-free
 * {@link dev.junction.internal.sql.SqlLexer}. Pure functions of the text or the jOOQ query object; no I/O. Not API:
 * anything here may change in any release.
 */
@NullMarked
package dev.junction.internal.sql;

import org.jspecify.annotations.NullMarked;
