/**
 * The Junction Maven plugin: {@link dev.junction.maven.GenerateMojo the generate goal}, which runs Junction's code
 * generator at build time. A build-time artifact: nothing here is on an application's runtime class path.
 */
@NullMarked
package dev.junction.maven;

import org.jspecify.annotations.NullMarked;
