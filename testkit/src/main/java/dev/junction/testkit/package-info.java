/**
 * Real PostgreSQL for tests: {@link dev.junction.testkit.EmbeddedPostgresCluster} starts a primary and streaming
 * replicas from binaries delivered through Maven, with fault controls, a {@link dev.junction.testkit.TcpProxy} for
 * latency and partitions, and a JUnit extension.
 */
@NullMarked
package dev.junction.testkit;

import org.jspecify.annotations.NullMarked;
