/**
 * Extension points: how a {@link dev.junction.Database} obtains connections. The routing module implements
 * {@link dev.junction.spi.ConnectionRouter} over a topology of nodes; core ships one over a single DataSource.
 */
@NullMarked
package dev.junction.spi;

import org.jspecify.annotations.NullMarked;
