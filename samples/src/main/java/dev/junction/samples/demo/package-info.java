/** The README's demo: an embedded primary and two replicas, showing replication as it happens. */
@NullMarked
package dev.junction.samples.demo;

import org.jspecify.annotations.NullMarked;
