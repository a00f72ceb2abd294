/**
 * The small runtime behind generated graph fetchers: {@link dev.junction.graph.Relation} (a foreign key seen
 * from one table), {@link dev.junction.graph.GraphQuery} (an immutable description of a graph: root table,
 * chosen relations, filter, order, limit), {@link dev.junction.graph.Strategy} (how a graph is read from the
 * database) and {@link dev.junction.graph.GraphRow} (an untyped result node that generated code maps into
 * typed records). Generated code calls this package; applications normally use the generated {@code *Graph} classes.
 */
@NullMarked
package dev.junction.graph;

import org.jspecify.annotations.NullMarked;
