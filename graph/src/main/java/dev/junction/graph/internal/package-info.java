/**
 * How Junction's strategies read a {@link dev.junction.graph.GraphQuery}: the cached plan of a query's shape, the
 * SQL templates rendered once per plan, the snapshot that keeps a multi-statement fetch consistent, and the
 * strategies themselves. Not API: nothing here is meant to be named by applications or generated code, and the
 * types that {@code dev.junction.graph} reaches are public only for that package.
 */
@NullMarked
package dev.junction.graph.internal;

import org.jspecify.annotations.NullMarked;
