/**
 * Junction's test kit: an embedded PostgreSQL 17 primary and streaming replicas, fault controls, a TCP proxy and a
 * JUnit extension.
 *
 * <p>Exports {@code dev.junction.testkit} only. The JUnit Jupiter API is needed only by the extension
 * ({@code WithEmbeddedCluster}) and is therefore {@code requires static}; the package is opened to JUnit, which
 * instantiates the extension reflectively.
 */
module dev.junction.testkit {
    requires transitive java.sql;
    requires transitive org.jspecify;
    requires org.apache.commons.compress;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires org.tukaani.xz;
    requires static transitive org.junit.jupiter.api;
    requires static org.junit.platform.commons;

    exports dev.junction.testkit;

    opens dev.junction.testkit to org.junit.platform.commons;
}
