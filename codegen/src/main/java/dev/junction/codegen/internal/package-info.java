/**
 * Implementation of the code generator: the jOOQ generator extension, relation naming, source writing and the
 * up-to-date check. Not API; may change in any release.
 */
@NullMarked
package dev.junction.codegen.internal;

import org.jspecify.annotations.NullMarked;
