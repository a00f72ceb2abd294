/**
 * The small runtime behind generated graph fetchers: {@link dev.junction.codegen.runtime.Relation} (a foreign key seen
 * from one table), {@link dev.junction.codegen.runtime.GraphQuery} (an immutable description of a graph: root table,
 * chosen relations, filter, order, limit), {@link dev.junction.codegen.runtime.Strategy} (how a graph is read from the
 * database) and {@link dev.junction.codegen.runtime.GraphRow} (an untyped result node that generated code maps into
 * typed records). Generated code calls this package; applications normally use the generated {@code *Graph} classes.
 */
@NullMarked
package dev.junction.codegen.runtime;

import org.jspecify.annotations.NullMarked;
