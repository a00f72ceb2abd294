/**
 * Junction's graph-fetch runtime: the relations, graph queries and strategies that generated {@code *Graph} classes
 * call to read a tree of rows with jOOQ.
 *
 * <p>Exports only {@code dev.junction.graph}; {@code dev.junction.graph.internal} (plans, SQL templates, the
 * strategies' execution) stays unexported, so generated code and applications compile against the four public types
 * alone. Reads core (which brings jOOQ, {@code java.sql} and JSpecify transitively) and SLF4J, and nothing of the
 * generator's build-time world: no codegen, Flyway or testkit module exists for it to require.
 */
module dev.junction.graph {
    requires transitive dev.junction.core;
    requires org.slf4j;
    // jOOQ's Settings carry JAXB annotations: compile-time only, see graph/pom.xml
    requires static jakarta.xml.bind;

    exports dev.junction.graph;
}
