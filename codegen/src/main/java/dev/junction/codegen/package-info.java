/**
 * Code generation from Flyway migrations: {@link dev.junction.codegen.JunctionCodegen} applies the migrations to an
 * embedded PostgreSQL, runs jOOQ's code generator against it, and adds typed one-statement graph fetchers derived from
 * foreign keys. {@link dev.junction.codegen.Main} is the command-line entry for Maven builds.
 */
@NullMarked
package dev.junction.codegen;

import org.jspecify.annotations.NullMarked;
