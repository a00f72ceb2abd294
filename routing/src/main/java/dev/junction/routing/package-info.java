/**
 * Read/write routing over a PostgreSQL primary and its streaming replicas: configuration ({@link
 * dev.junction.routing.RoutingConfig}, loaded from {@code junction.yaml} by {@link dev.junction.routing.ConfigLoader}),
 * the {@link dev.junction.routing.ClusterRouter} that implements core's {@link dev.junction.spi.ConnectionRouter},
 * and a read-only view of the {@link dev.junction.routing.Topology} for health endpoints.
 */
@NullMarked
package dev.junction.routing;

import org.jspecify.annotations.NullMarked;
