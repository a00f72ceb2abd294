/** The write-ups' "list then relations" query done in one statement with a generated graph fetcher. */
@NullMarked
package dev.junction.samples.directory;

import org.jspecify.annotations.NullMarked;
